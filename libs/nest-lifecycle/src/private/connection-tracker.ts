import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerRequestHooks } from '../server-request-hooks.interface.js';

type RequestListener = (this: Server, req: IncomingMessage, res: ServerResponse) => void;

/**
 * Follows the sockets and in-flight requests of a Node HTTP server, whatever framework serves it,
 * and closes them in the order a drain needs: stop accepting, close idle keep-alive connections,
 * answer what is still running with `Connection: close`.
 *
 * It listens on the raw `http.Server` rather than in a framework hook so that every response is
 * covered, 404s and framework errors included.
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();
  /** In-flight responses and when their request arrived. */
  private readonly inFlight = new Map<ServerResponse, number>();
  private closing = false;

  constructor(
    private readonly server: Server,
    hooks: ServerRequestHooks = {},
  ) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // This runs on every request. The framework's listeners are wrapped rather than joined by a
    // second listener, so the emit keeps its one-listener fast path and tracking runs before the
    // framework writes anything; one shared 'close' handler serves every response.
    // Why: docs/internals.md#connection-tracker
    const inFlight = this.inFlight;
    const { onRequest, onResponseClosed } = hooks;
    function onResponseClose(this: ServerResponse): void {
      const startedAt = inFlight.get(this) ?? performance.now();
      inFlight.delete(this);
      onResponseClosed?.(this.req, this, performance.now() - startedAt);
    }
    const handlers = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      inFlight.set(res, performance.now());
      res.on('close', onResponseClose); // 'close' fires once; `once` would allocate a wrapper per request
      if (this.closing) res.setHeader('Connection', 'close');
      if (onRequest?.(req, res) === true) return;
      for (const handler of handlers) handler.call(server, req, res);
    });
  }

  /** Requests received and not yet answered (or aborted). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Open TCP connections, idle keep-alive ones included. */
  get connectionCount(): number {
    let open = 0;
    for (const socket of this.sockets) if (!socket.destroyed) open++;
    return open;
  }

  /** The requests still running, oldest first, for the log line of a timed-out drain. */
  describeInFlight(now = performance.now()): string[] {
    return [...this.inFlight]
      .sort(([, a], [, b]) => a - b)
      .map(
        ([res, startedAt]) =>
          `${res.req?.method ?? '?'} ${res.req?.url ?? '?'} (${Math.round(now - startedAt)} ms)`,
      );
  }

  /**
   * Stops accepting connections, closes the idle ones, and marks every response still to be
   * written with `Connection: close` so that each connection ends after its current request.
   * Resolves when the last connection has closed.
   */
  close(): Promise<void> {
    this.closing = true;
    for (const res of this.inFlight.keys()) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening && this.connectionCount === 0) return resolve();
      this.server.close(() => resolve());
    });
    this.server.closeIdleConnections();
    return closed;
  }

  /** Destroys every remaining connection; the last step of a drain that ran out of time. */
  destroyAll(): void {
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
  }
}
