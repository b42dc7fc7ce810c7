import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerRequestHooks } from '../server-request-hooks.interface.js';
import type { LoadShedder } from './load-shedder.js';
import type { ProbeResponder } from './probe-responder.js';

type RequestListener = (this: Server, req: IncomingMessage, res: ServerResponse) => void;

/** The responses not yet closed of one connection (pipelined requests queue several). */
const kOpen = Symbol('stayup.openResponses');
/** Set on a connection that opened past the load shedder's connection bound. */
const kPastBound = Symbol('stayup.pastConnectionBound');
type TrackedSocket = Socket & { [kOpen]?: Set<ServerResponse>; [kPastBound]?: boolean };

/** Most requests {@link ConnectionTracker.describeInFlight} lists; the rest are counted. */
export const MAX_DESCRIBED_REQUESTS = 20;
/** Longest request target it quotes; longer ones are cut and marked with `…`. */
export const MAX_DESCRIBED_URL_LENGTH = 200;

/** What runs on each request besides the tracking, in this order. */
export interface TrackedRequestHandlers {
  /** The user's hooks (request ids, early refusals); may answer the request. */
  readonly hooks?: ServerRequestHooks;
  /** The probes, answered before load shedding and the framework. */
  readonly probes?: ProbeResponder;
  /** Answers requests past the service's capacity with 503. */
  readonly shedder?: LoadShedder;
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
  /** In-flight responses and when their request arrived. */
  private readonly inFlight = new Map<ServerResponse, number>();
  /** Whether responses carry `Connection: close` (during the drain's delay, and when closing). */
  private endingKeepAlive = false;

  constructor(
    private readonly server: Server,
    { hooks = {}, probes, shedder }: TrackedRequestHandlers = {},
  ) {
    server.on('connection', (socket: TrackedSocket) => {
      this.sockets.add(socket);
      // once per connection, so the request path only adds and removes
      socket[kOpen] = new Set();
      if (shedder?.isPastConnectionBound(this.sockets.size)) socket[kPastBound] = true;
      socket.once('close', () => {
        this.sockets.delete(socket);
        // A response still open when its connection is gone never will be: Node does not emit
        // 'close' for pipelined responses queued behind the one being written (before Node
        // 24.21, https://github.com/nodejs/node/pull/62534, "http: pipeline leak"), which would
        // leave them "in flight" forever: a client that pipelines and disconnects would grow
        // memory and stall every drain.
        for (const res of socket[kOpen] ?? []) onResponseClose.call(res);
      });
    });
    // This runs on every request. The framework's listeners are wrapped rather than joined by a
    // second listener, so the emit keeps its one-listener fast path and tracking runs before the
    // framework writes anything; one shared 'close' handler serves every response.
    // Why: https://github.com/stayup-dev/stayup/blob/main/docs/internals.md#connection-tracker
    const inFlight = this.inFlight;
    const { onRequest, onResponseClosed } = hooks;
    function onResponseClose(this: ServerResponse): void {
      const startedAt = inFlight.get(this);
      if (startedAt === undefined) return; // already closed out (socket gone, then 'close')
      inFlight.delete(this);
      (this.req.socket as TrackedSocket | null)?.[kOpen]?.delete(this);
      onResponseClosed?.(this.req, this, performance.now() - startedAt);
    }
    const handlers = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      inFlight.set(res, performance.now());
      // a connection accepted before the tracker was attached has no set: tracked as before
      (req.socket as TrackedSocket)[kOpen]?.add(res);
      res.on('close', onResponseClose); // 'close' fires once; `once` would allocate a wrapper per request
      if (this.endingKeepAlive) res.setHeader('Connection', 'close');
      if (onRequest?.(req, res) === true) return;
      if (probes?.(req, res) === true) return;
      const pastBound = (req.socket as TrackedSocket)[kPastBound] === true;
      if (shedder?.shed(res, inFlight.size, pastBound) === true) return;
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

  /**
   * The requests still running, oldest first, for the log line of a timed-out drain: at most
   * {@link MAX_DESCRIBED_REQUESTS}, then `… and N more`, each target cut at
   * {@link MAX_DESCRIBED_URL_LENGTH} characters, so the line stays far below the 16 KiB at which
   * container runtimes split log lines.
   */
  describeInFlight(now = performance.now()): string[] {
    const oldest = [...this.inFlight].sort(([, a], [, b]) => a - b);
    const described = oldest.slice(0, MAX_DESCRIBED_REQUESTS).map(([res, startedAt]) => {
      const url = res.req?.url ?? '?';
      const shown =
        url.length > MAX_DESCRIBED_URL_LENGTH ? `${url.slice(0, MAX_DESCRIBED_URL_LENGTH)}…` : url;
      return `${res.req?.method ?? '?'} ${shown} (${Math.round(now - startedAt)} ms)`;
    });
    const more = oldest.length - described.length;
    return more > 0 ? [...described, `… and ${more} more`] : described;
  }

  /**
   * From now on, every response carries `Connection: close`: keep-alive callers reconnect after
   * their current request, and their new connections go where the Service or the balancer
   * routes them, away from this instance, before {@link close} closes what is left.
   */
  endKeepAlive(): void {
    this.endingKeepAlive = true;
  }

  /**
   * Stops accepting connections, closes every connection with no request in progress (idle
   * keep-alive ones, and ones that never sent a request, which Node's `closeIdleConnections()`
   * leaves open), and marks every response still to be written with `Connection: close` so that
   * each remaining connection ends after its current request. Resolves when the last connection
   * has closed.
   */
  close(): Promise<void> {
    this.endingKeepAlive = true;
    for (const res of this.inFlight.keys()) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    const closed = new Promise<void>((resolve) => {
      if (!this.server.listening && this.connectionCount === 0) return resolve();
      this.server.close(() => resolve());
    });
    this.server.closeIdleConnections();
    for (const socket of this.sockets as Set<TrackedSocket>) {
      if (!socket.destroyed && !socket[kOpen]?.size) socket.destroy();
    }
    return closed;
  }

  /** Destroys every remaining connection; the last step of a drain that ran out of time. */
  destroyAll(): void {
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
  }
}
