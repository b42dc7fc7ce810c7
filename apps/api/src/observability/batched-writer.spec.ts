import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUFFER_BYTES,
  BatchedWriter,
  EXIT_FLUSH_TIMEOUT_MS,
  FLUSH_INTERVAL_MS,
  QUEUE_BYTES,
} from './batched-writer.js';

/** A pipe the writer cannot wait on: its write end is non-blocking, as stdout is in the API. */
interface SlowPipe {
  /** The write end (O_NONBLOCK). */
  readonly fd: number;
  /** What the reader has read so far. */
  output(): string;
  /** Resolves when the reader has read everything (the write end is closed) and exited. */
  readonly done: Promise<void>;
  /** Closes the write end: the reader reads what is left, then exits. */
  closeWriteEnd(): void;
  /**
   * Kills the reader and closes the FIFO's ends; or leaves them open when a writer still has lines
   * queued (a failed test), so that its retries keep getting EAGAIN rather than writing to an fd
   * number a later test has reused.
   */
  close(writerIdle: boolean): void;
}

/**
 * A FIFO with a non-blocking write end and a reader, `cat`, that starts reading only after
 * `readAfterMs` (in another process, so that a writer that blocks this one still gets unblocked).
 */
function slowPipe(dir: string, readAfterMs: number): SlowPipe {
  const path = join(dir, 'fifo');
  const out = join(dir, 'read');
  execFileSync('mkfifo', [path]);
  // opening the write end without blocking needs a reader: this one never reads
  const idle = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  // into a file, not a pipe to this process: a writer that blocks this process must not block cat
  const cat = spawn('sh', ['-c', `sleep ${readAfterMs / 1000}; exec cat "$0" > "$1"`, path, out], {
    stdio: 'ignore',
  });
  const done = new Promise<void>((resolve) => cat.once('close', () => resolve()));
  let open = true;
  const closeWriteEnd = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    fd,
    output: () => (existsSync(out) ? readFileSync(out, 'utf8') : ''),
    done,
    closeWriteEnd,
    close(writerIdle) {
      cat.kill('SIGKILL');
      if (!writerIdle) return;
      closeWriteEnd();
      closeSync(idle);
    },
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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

  it('a line longer than the whole queue is dropped and counted, never written in part', () => {
    const writer = new BatchedWriter(fd);
    writer.write('before\n');
    writer.write(`${'x'.repeat(QUEUE_BYTES)}\n`);
    writer.write('after\n');
    writer.flushSync();
    const [before, after, report, end] = written().split('\n');
    expect([before, after, end]).toEqual(['before', 'after', '']);
    expect(JSON.parse(report)).toMatchObject({ level: 'warn', droppedLines: 1 });
    expect(writer.droppedLines).toBe(1);
  });
});

describe('BatchedWriter on a reader that stalls', () => {
  let dir: string;
  let pipe: SlowPipe | undefined;
  let live: BatchedWriter | undefined;
  const line = (n: number) => `{"n":${n},"pad":"${'x'.repeat(100)}"}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'batched-writer-pipe-'));
  });
  afterEach(() => {
    pipe?.close((live?.queuedBytes ?? 0) === 0);
    pipe = undefined;
    live = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('never blocks: queues up to QUEUE_BYTES, drops and counts the rest, then writes the queue in order and one report', async () => {
    const reader = (pipe = slowPipe(dir, 1_500));
    const writer = (live = new BatchedWriter(reader.fd));
    const total = Math.ceil((QUEUE_BYTES * 4) / line(0).length); // 4 MiB, a pipe holds 64 KiB
    const started = performance.now();
    const timerLateBy = new Promise<number>((resolve) =>
      setTimeout(() => resolve(performance.now() - started - 10), 10),
    );
    for (let n = 0; n < total; n++) writer.write(`${line(n)}\n`);
    // returned promptly, and the event loop was not blocked (a blocking writer: until the reader
    // reads, 1.5 s)
    expect(performance.now() - started).toBeLessThan(500);
    expect(await timerLateBy).toBeLessThan(300);
    const dropped = writer.droppedLines;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(total);

    // the reader starts reading: the queued lines, whole and in order, then one report
    await until(() => reader.output().includes('droppedLines'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS * 3));
    const out = reader.output().split('\n');
    expect(out.pop()).toBe('');
    const report = JSON.parse(out.pop() ?? '');
    expect(report).toMatchObject({ level: 'warn', droppedLines: dropped });
    expect(report.msg).toContain(String(dropped));
    expect(out.length).toBe(total - dropped);
    expect(out).toEqual(Array.from({ length: total - dropped }, (_, n) => line(n)));

    // caught up: the next line goes out on the timer as usual, with no second report
    writer.write('{"next":true}\n');
    await until(() => reader.output().endsWith('{"next":true}\n'), 2_000);
    expect(reader.output().match(/droppedLines/g)).toHaveLength(1);
  }, 20_000);

  it(`flushSync gives up after ${EXIT_FLUSH_TIMEOUT_MS} ms on a reader that does not read, and keeps what it could not write`, async () => {
    const reader = (pipe = slowPipe(dir, 2_000));
    const writer = (live = new BatchedWriter(reader.fd));
    const total = Math.ceil((256 * 1024) / line(0).length);
    for (let n = 0; n < total; n++) writer.write(`${line(n)}\n`);
    const started = performance.now();
    writer.flushSync();
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(EXIT_FLUSH_TIMEOUT_MS - 5);
    expect(took).toBeLessThan(EXIT_FLUSH_TIMEOUT_MS + 250);
    expect(writer.droppedLines).toBe(0);
    expect(writer.queuedBytes).toBeGreaterThan(0);
    // nothing was lost: once the reader reads, every line arrives
    const expected = Array.from({ length: total }, (_, n) => `${line(n)}\n`).join('');
    await until(() => reader.output().length >= expected.length, 10_000);
    expect(reader.output()).toBe(expected);
  }, 20_000);

  it('flushSync writes everything queued, beyond what the pipe holds, while the reader reads', async () => {
    const reader = (pipe = slowPipe(dir, 0));
    const writer = (live = new BatchedWriter(reader.fd));
    writer.write('{"first":true}\n');
    await until(() => reader.output() !== '', 5_000); // the reader is reading
    const total = Math.ceil((512 * 1024) / line(0).length);
    for (let n = 0; n < total; n++) writer.write(`${line(n)}\n`);
    writer.flushSync();
    expect(writer.queuedBytes).toBe(0);
    reader.closeWriteEnd(); // nothing can be written after flushSync
    await reader.done;
    expect(reader.output().split('\n').slice(1, -1)).toEqual(
      Array.from({ length: total }, (_, n) => line(n)),
    );
  }, 20_000);
});
