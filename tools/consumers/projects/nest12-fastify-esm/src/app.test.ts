import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './create-app.js';

describe('AppModule with @stayup/nest-lifecycle on Fastify', () => {
  let app: NestFastifyApplication;
  let url: string;

  before(async () => {
    app = await createApp();
    url = await listenWithLifecycle(app, '0', '127.0.0.1');
  });

  after(() => app.close());

  it('answers the probes', async () => {
    const ready = await fetch(`${url}/ready`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'ok');
    assert.equal((await fetch(`${url}/alive`)).status, 200);
    assert.equal(await (await fetch(url)).text(), 'Hello World!');
  });
});
