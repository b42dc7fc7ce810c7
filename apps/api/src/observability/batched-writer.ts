import { fstatSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Longest a line waits before it is written; also the longest between retries of a full fd. */
export const FLUSH_INTERVAL_MS = 20;
/** Once this many bytes are queued, they are written at once (when the reader keeps up). */
export const BUFFER_BYTES = 64 * 1024;
/**
 * Most bytes held for a reader that does not keep up; a line that does not fit is dropped and
 * counted. 1 MiB: ~1,500 access lines of ~700 bytes, the longest there are (URL cut at 512
 * characters), or 0.75 s of them at 2,000 req/s: enough to ride out a log shipper
 * that pauses, small in a 256 MiB pod, and what a reader at 4 MB/s takes within
 * {@link EXIT_FLUSH_TIMEOUT_MS} at exit.
 */
export const QUEUE_BYTES = 1024 * 1024;
/** How long `flushSync` (run at exit) waits for a reader that does not read before giving up. */
export const EXIT_FLUSH_TIMEOUT_MS = 250;

/** Options of {@link BatchedWriter}. */
export interface BatchedWriterOptions {
  /**
   * The line (with its newline) reporting `dropped` lines, written once the writer has caught up.
   * @default a JSON line at `warn` with `droppedLines`
   */
  readonly dropReport?: (dropped: number) => string;
}

/**
 * A log destination that encodes lines into one reused buffer and writes them, in order, with one
 * `write(2)` every {@link FLUSH_INTERVAL_MS} (or as soon as {@link BUFFER_BYTES} are queued), and
 * never blocks the event loop on a reader that does not keep up.
 *
 * A reused buffer rather than queued strings joined at flush time: each request's line is garbage
 * as soon as it is encoded, instead of living (with the joined copy and a new Buffer per flush)
 * until the next write. Writes are non-blocking (stdout and stderr pipes are made so): what the fd
 * does not take stays queued and is retried on the event loop (after this turn while the reader
 * reads, backing off to every {@link FLUSH_INTERVAL_MS} while it does not). Once
 * {@link QUEUE_BYTES} are queued, new lines are dropped whole, counted ({@link droppedLines}), and
 * reported in one line when the writer has caught up. Lines go out in order and whole; `flushSync`
 * (run from the exit handler) writes what is left, waiting at most {@link EXIT_FLUSH_TIMEOUT_MS}.
 * Why this design, and not pino's own destination (sonic-boom) or a stream:
 * docs/internals.md#batched-writer
 */
export class BatchedWriter {
  /** Queued bytes are `[start, end)`; both go back to 0 whenever everything is written. */
  private readonly queue = Buffer.allocUnsafe(QUEUE_BYTES);
  private start = 0;
  private end = 0;
  /** The fd took less than was queued: a retry is scheduled, lines are only queued meanwhile. */
  private stalled = false;
  /** Delay of the last retry while the fd took nothing: doubles up to FLUSH_INTERVAL_MS. */
  private retryMs = 0;
  private dropped = 0;
  private unreported = 0;
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  private readonly dropReport: (dropped: number) => string;
  private readonly flushLater = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    this.flush();
  };

  constructor(
    private readonly fd: number,
    options: BatchedWriterOptions = {},
  ) {
    this.dropReport = options.dropReport ?? defaultDropReport;
    makeNonBlocking(fd);
  }

  /** Lines dropped so far because the queue was full (the reader did not keep up). */
  get droppedLines(): number {
    return this.dropped;
  }

  /** Bytes queued and not yet written. */
  get queuedBytes(): number {
    return this.end - this.start;
  }

  /** Queues `chunk` (one or more complete lines), or drops it whole when it does not fit. */
  write(chunk: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units)
    if (this.end + chunk.length * 3 <= QUEUE_BYTES || this.makeRoom(chunk)) {
      this.end += this.queue.write(chunk, this.end);
    } else {
      this.dropped++;
      this.unreported++;
    }
    if (this.stalled) return true; // a retry is scheduled
    if (this.end - this.start >= BUFFER_BYTES) {
      this.flush();
    } else {
      // unref: a pending flush must not keep the process alive; exit runs flushSync anyway
      this.timer ??= setTimeout(this.flushLater, FLUSH_INTERVAL_MS).unref();
    }
    return true;
  }

  /**
   * Writes everything queued, now; for exit. When the reader does not take it all, retries every
   * millisecond for at most {@link EXIT_FLUSH_TIMEOUT_MS}, then leaves the rest queued.
   */
  flushSync(): void {
    const deadline = performance.now() + EXIT_FLUSH_TIMEOUT_MS;
    this.flush();
    while (this.stalled && performance.now() < deadline) {
      Atomics.wait(pause, 0, 0, 1);
      this.flush();
    }
  }

  /** Writes what the fd takes without blocking, and schedules a retry for the rest. */
  private flush(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    for (;;) {
      const from = this.start;
      this.writeQueued();
      if (this.start < this.end) {
        this.stalled = true;
        if (this.start > from) {
          // the reader is reading: try again after this turn of the event loop
          this.retryMs = 0;
          this.immediate = setImmediate(this.flushLater);
        } else {
          // it is not: back off, to one EAGAIN write every FLUSH_INTERVAL_MS
          this.retryMs = Math.min(Math.max(1, this.retryMs * 2), FLUSH_INTERVAL_MS);
          this.timer = setTimeout(this.flushLater, this.retryMs).unref();
        }
        return;
      }
      this.start = this.end = 0;
      this.stalled = false;
      this.retryMs = 0;
      if (this.unreported === 0) return;
      // caught up after dropping: one line saying how many, after the lines that were kept
      this.end = this.queue.write(this.dropReport(this.unreported), 0);
      this.unreported = 0;
    }
  }

  private writeQueued(): void {
    while (this.start < this.end) {
      try {
        this.start += writeSync(this.fd, this.queue, this.start, this.end - this.start);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return; // full: retry later
        throw error;
      }
    }
  }

  /** The slow path of `write`: whether `chunk` fits once what is written is moved out. */
  private makeRoom(chunk: string): boolean {
    const bytes = Buffer.byteLength(chunk);
    if (bytes > QUEUE_BYTES) return false;
    if (this.end + bytes > QUEUE_BYTES && !this.stalled) this.flush();
    if (this.end + bytes > QUEUE_BYTES && this.start > 0) {
      this.queue.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    return this.end + bytes <= QUEUE_BYTES;
  }
}

function defaultDropReport(dropped: number): string {
  return (
    `{"level":"warn","time":"${new Date().toISOString()}","droppedLines":${dropped},` +
    `"msg":"${dropped} log line(s) dropped: the log reader did not keep up"}\n`
  );
}

/**
 * A pipe or socket on stdout or stderr is usually blocking, as the container runtime (or the
 * parent) hands it over: a write to it would wait for the reader. Node's own stream on it
 * (`process.stdout`: a `net.Socket`, asynchronous on POSIX) opens it with libuv's
 * `uv_pipe_open`, which sets O_NONBLOCK; writes then return EAGAIN instead. Files never make a
 * writer wait, and a TTY is left as Node sets it (blocking). Other fds are used as opened.
 */
function makeNonBlocking(fd: number): void {
  if (fd !== 1 && fd !== 2) return;
  let kind;
  try {
    kind = fstatSync(fd);
  } catch {
    return; // closed: writes will fail as they would have
  }
  if (!kind.isFIFO() && !kind.isSocket()) return;
  if (fd === 1) void process.stdout;
  else void process.stderr;
}
