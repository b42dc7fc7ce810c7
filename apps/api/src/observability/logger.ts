import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
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
  /** Writes what is buffered; called on exit. */
  flush(): void;
}

/**
 * Creates the API's logger. Lines are encoded into one buffer that goes out in one write every
 * 20 ms or when full ({@link BatchedWriter}), so logging costs no syscall per request; `flush()`
 * (run on exit) writes what is left. `LOG_LEVEL=silent` logs nothing.
 */
export function createApiLogger(level: LogLevel, fd = 1): ApiLogger {
  const destination = new BatchedWriter(fd);
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
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
