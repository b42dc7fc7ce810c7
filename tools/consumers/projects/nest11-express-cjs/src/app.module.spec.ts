import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { AppModule } from './app.module';

describe('AppModule with @stayup/nest-lifecycle', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication();
    url = await listenWithLifecycle(app, 0, '127.0.0.1');
  });

  afterAll(() => app.close());

  it('answers the probes on Express', async () => {
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${url}/alive`)).status).toBe(200);
    expect(await (await fetch(url)).text()).toBe('Hello World!');
  });

  it('refuses a port that is not a number, naming it', async () => {
    await expect(listenWithLifecycle(app, 'eighty')).rejects.toThrow("'port' (eighty)");
  });
});
