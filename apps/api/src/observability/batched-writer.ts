import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Longest a line waits before it is written. */
export const FLUSH_INTERVAL_MS = 20;
/** Size of the buffer lines are encoded into; a full buffer is written at once. */
export const BUFFER_BYTES = 64 * 1024;

/**
 * A log destination that encodes lines into one reused buffer and writes them, in order, with one
 * `write(2)` every {@link FLUSH_INTERVAL_MS} (or as soon as the buffer is full).
 *
 * A reused buffer rather than queued strings joined at flush time: each request's line is garbage
 * as soon as it is encoded, instead of living (with the joined copy and a new Buffer per flush)
 * until the next write. Like pino's default, writes are synchronous: a stalled log reader applies
 * back-pressure instead of growing memory, and nothing is lost at exit (`flushSync` runs from the
 * exit handler). Why not pino's own destination (sonic-boom): docs/internals.md#batched-writer
 */
export class BatchedWriter {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private timer?: NodeJS.Timeout;
  private readonly flushLater = (): void => {
    this.timer = undefined;
    this.flushSync();
  };

  constructor(private readonly fd: number) {}

  /** Queues `chunk` (one or more complete lines). */
  write(chunk: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units)
    if (this.used + chunk.length * 3 > BUFFER_BYTES) {
      this.flushSync();
      if (chunk.length * 3 > BUFFER_BYTES) {
        writeAll(this.fd, Buffer.from(chunk, 'utf8'));
        return true;
      }
    }
    this.used += this.buffer.write(chunk, this.used);
    // unref: a pending flush must not keep the process alive; exit runs flushSync anyway
    this.timer ??= setTimeout(this.flushLater, FLUSH_INTERVAL_MS).unref();
    return true;
  }

  /** Writes everything queued, now. */
  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.used === 0) return;
    const used = this.used;
    this.used = 0;
    writeAll(this.fd, this.buffer.subarray(0, used));
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 1); // non-blocking pipe full: wait 1 ms for the reader
    }
  }
}
