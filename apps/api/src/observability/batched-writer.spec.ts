import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUFFER_BYTES, BatchedWriter, FLUSH_INTERVAL_MS } from './batched-writer.js';

describe('BatchedWriter', () => {
  let dir: string;
  let file: string;
  let fd: number;
  const written = () => readFileSync(file, 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'batched-writer-'));
    file = join(dir, 'log');
    fd = openSync(file, 'w');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds lines back, then writes them in order on flushSync', () => {
    const writer = new BatchedWriter(fd);
    writer.write('{"n":1}\n');
    writer.write('{"n":2}\n');
    expect(written()).toBe('');
    writer.flushSync();
    expect(written()).toBe('{"n":1}\n{"n":2}\n');
    writer.flushSync(); // nothing queued: no write, no error
    expect(written()).toBe('{"n":1}\n{"n":2}\n');
  });

  it(`writes on its own within ${FLUSH_INTERVAL_MS} ms`, async () => {
    const writer = new BatchedWriter(fd);
    writer.write('later\n');
    await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 3));
    expect(written()).toBe('later\n');
  });

  it('encodes multi-byte text as UTF-8, surrogate pairs included', () => {
    const writer = new BatchedWriter(fd);
    const line = '{"url":"/caf\u00e9/\u65e5\u672c/\ud83d\ude80"}\n';
    writer.write(line);
    writer.flushSync();
    expect(written()).toBe(line);
  });

  it('writes at once when the buffer would overflow, and never splits or reorders lines', () => {
    const writer = new BatchedWriter(fd);
    const line = `${'x'.repeat(999)}\n`;
    const lines = Math.ceil((BUFFER_BYTES * 3) / line.length);
    for (let i = 0; i < lines; i++) writer.write(line.replace('x', String(i % 10)));
    expect(written().length).toBeGreaterThan(0); // written before any flushSync
    writer.flushSync();
    const out = written().split('\n').slice(0, -1);
    expect(out).toHaveLength(lines);
    out.forEach((l, i) => expect(l).toBe(line.slice(0, -1).replace('x', String(i % 10))));
  });

  it('writes a line larger than its buffer whole, after what was queued', () => {
    const writer = new BatchedWriter(fd);
    writer.write('first\n');
    const big = `${'\u00e9'.repeat(BUFFER_BYTES)}\n`;
    writer.write(big);
    writer.write('last\n');
    writer.flushSync();
    expect(written()).toBe(`first\n${big}last\n`);
  });
});
