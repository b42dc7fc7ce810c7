import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the tracker knows of a request that has not finished yet. */
export interface InFlightRequest {
  readonly method: string;
  readonly url: string;
  readonly startedAt: number;
}

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
  private readonly inFlight = new Map<ServerResponse, InFlightRequest>();
  private closing = false;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    // Prepended so that it runs before the framework writes anything.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.set(res, {
        method: req.method ?? '?',
        url: req.url ?? '?',
        startedAt: Date.now(),
      });
      res.once('close', () => this.inFlight.delete(res));
      if (this.closing) res.setHeader('Connection', 'close');
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
  describeInFlight(now = Date.now()): string[] {
    return [...this.inFlight.values()]
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((r) => `${r.method} ${r.url} (${now - r.startedAt} ms)`);
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
