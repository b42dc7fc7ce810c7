import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Per-request hooks on the raw Node HTTP server, run by the lifecycle's connection tracking before
 * the framework sees a request and once its response has closed: the cheapest place for work
 * that must cover every response, 404s and framework errors included (request ids, early
 * refusals, metrics, access logs). Install them with
 * `GracefulShutdownService.useServerRequestHooks()` before the application listens.
 */
export interface ServerRequestHooks {
  /**
   * Called when a request arrives, before the framework sees it. Return `true` when the hook has
   * answered the request itself (the framework then never sees it), e.g. to refuse it early.
   */
  onRequest?(req: IncomingMessage, res: ServerResponse): boolean | void;
  /**
   * Called once per request when its response closes, finished (`res.writableFinished`) or
   * aborted, with the milliseconds since the request arrived.
   */
  onResponseClosed?(req: IncomingMessage, res: ServerResponse, durationMs: number): void;
}
