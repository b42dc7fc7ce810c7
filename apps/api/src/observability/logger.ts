import type { LoggerService } from '@nestjs/common';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { BatchedWriter } from './batched-writer.js';
import type { LogLevel } from '../config/api-config.js';

/** What the API logs with: pino, one JSON object per line on stdout. */
export interface ApiLogger {
  /** The pino logger (request lines, lifecycle). */
  readonly pino: Logger;
  /** The same, as a Nest `LoggerService` for the framework's own messages. */
  readonly nest: LoggerService;
  /**
   * Appends one pre-serialized JSON line (with its newline) to the same buffered destination as
   * the logger, for the per-request line built by `request-log-line.ts` rather than by pino's
   * generic serializer. Why: docs/internals.md#request-log-line
   */
  write(line: string): void;
  /** Writes what is buffered (waiting a bounded time for a stalled reader); called on exit. */
  flush(): void;
  /**
   * Lines dropped so far because stdout was not read fast enough (the queue was full): the
   * `log_lines_dropped_total` counter.
   */
  droppedLines(): number;
}

/**
 * Creates the API's logger. Lines are encoded into one buffer that goes out in one write every
 * 20 ms or when 64 KiB are queued ({@link BatchedWriter}), so logging costs no syscall per
 * request, and never blocks: a reader that does not keep up gets up to 1 MiB queued, then lines
 * are dropped, counted ({@link ApiLogger.droppedLines}) and reported in one `warn` line once the
 * reader has caught up. `flush()` (run on exit) writes what is left. `LOG_LEVEL=silent` logs
 * nothing.
 */
export function createApiLogger(level: LogLevel, fd = 1): ApiLogger {
  const options: LoggerOptions = {
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  // the drop report, shaped by pino like every other line, and written whatever LOG_LEVEL is
  let report = '';
  const reporter = pino(
    { ...options, level: 'warn' },
    { write: (line: string) => (report = line) },
  );
  const destination = new BatchedWriter(fd, {
    dropReport: (dropped) => {
      reporter.warn(
        { context: 'Logger', droppedLines: dropped },
        `${dropped} log line(s) dropped: stdout was not read fast enough`,
      );
      return report;
    },
  });
  const logger = pino({ ...options, level }, destination);
  const flush = (): void => {
    try {
      destination.flushSync();
    } catch {
      // not ready yet or already closed: nothing buffered to lose
    }
  };
  return {
    pino: logger,
    nest: new PinoNestLogger(logger),
    write: (line) => void destination.write(line),
    flush,
    droppedLines: () => destination.droppedLines,
  };
}

/** Nest's LoggerService on pino: `context` becomes a field, Nest's `log` level is pino's `info`. */
class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(fields(context), String(message));
  }
  error(message: unknown, stackOrContext?: string, context?: string): void {
    // Nest passes (message, stack, context) for errors, (message, context) otherwise
    const stack = context !== undefined ? stackOrContext : undefined;
    this.logger.error(
      { ...fields(context ?? (stack ? undefined : stackOrContext)), ...(stack ? { stack } : {}) },
      String(message),
    );
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(fields(context), String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(fields(context), String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace(fields(context), String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.logger.fatal(fields(context), String(message));
  }
}

function fields(context: string | undefined): Record<string, string> {
  return context ? { context } : {};
}
