import { connect, type Socket } from 'node:net';

/** Options of {@link openLoopLoad}. */
export interface OpenLoopOptions {
  /** Port on 127.0.0.1. */
  readonly port: number;
  /** Request target. */
  readonly path: string;
  /** Requests started per second, whatever the server's pace: the open loop. */
  readonly ratePerSecond: number;
  /** How long requests are started for. */
  readonly durationMs: number;
  /** Most connections open at once; a request with none free counts as `client_saturated`. @default 2000 */
  readonly maxSockets?: number;
  /** A request unanswered for this long counts as `timeout` and its connection is dropped. @default 5000 */
  readonly timeoutMs?: number;
}

/** Latency percentiles in milliseconds. */
export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** What {@link openLoopLoad} saw. */
export interface OpenLoopReport {
  /** Requests started. */
  readonly sent: number;
  /** Responses by status code. */
  readonly statuses: Record<string, number>;
  /** 503 responses that carried `Retry-After` (shed by the server, not the balancer's own). */
  readonly retryAfter: number;
  /** Requests that got no response, by cause (`timeout`, `ECONNRESET`, `client_saturated`…). */
  readonly errors: Record<string, number>;
  /** Latency of the 2xx responses. */
  readonly ok: Latency;
  /** Latency of the 503 responses. */
  readonly unavailable: Latency;
  /** Responses per second over the run. */
  readonly answeredPerSecond: number;
}

interface Conn {
  readonly socket: Socket;
  buffer: Buffer;
  sentAt: number;
  busy: boolean;
  /** In the idle list (waiting to be reused). */
  idle: boolean;
}

const TICK_MS = 5;
/** How often unanswered requests are checked against the timeout: cheap beside a 5 s timeout. */
const TIMEOUT_SCAN_MS = 100;

/**
 * An open-loop HTTP load: requests start at a fixed rate, one per keep-alive connection at a time,
 * opening connections as needed, as users arriving at a service do (a closed loop, where each
 * client waits for its answer, slows down with the server and cannot overload it). Raw sockets and
 * a minimal response parser keep the client's own cost per request far below the server's.
 */
export async function openLoopLoad(options: OpenLoopOptions): Promise<OpenLoopReport> {
  const { port, path, ratePerSecond, durationMs } = options;
  const maxSockets = options.maxSockets ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  const idle: Conn[] = [];
  const open = new Set<Conn>();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const latency: Record<'ok' | 'unavailable', number[]> = { ok: [], unavailable: [] };
  let sent = 0;
  let answered = 0;
  let busy = 0;
  let retryAfter = 0;
  const count = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);

  const release = (conn: Conn) => {
    conn.busy = false;
    busy--;
  };
  const fail = (conn: Conn, cause: string) => {
    if (conn.busy) {
      count(errors, cause);
      release(conn);
    }
    if (!open.delete(conn)) return; // already gone ('close' after 'error')
    if (conn.idle) idle.splice(idle.indexOf(conn), 1); // rare: the server closed an idle one
    conn.socket.destroy();
  };

  const onData = (conn: Conn, chunk: Buffer) => {
    conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
    const headEnd = conn.buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const head = conn.buffer.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (conn.buffer.length < headEnd + 4 + length) return;
    conn.buffer = conn.buffer.subarray(headEnd + 4 + length);
    const status = Number(head.slice(9, 12));
    const ms = performance.now() - conn.sentAt;
    count(statuses, String(status));
    answered++;
    if (status >= 200 && status < 300) latency.ok.push(ms);
    else if (status === 503) latency.unavailable.push(ms);
    if (status === 503 && /\r\nretry-after:/i.test(head)) retryAfter++;
    release(conn);
    if (/\r\nconnection:\s*close/i.test(head)) fail(conn, 'closed');
    else {
      conn.idle = true;
      idle.push(conn);
    }
  };

  const newConnection = (): Conn => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const conn: Conn = { socket, buffer: Buffer.alloc(0), sentAt: 0, busy: false, idle: false };
    socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(conn, error.code ?? 'error'));
    socket.on('close', () => fail(conn, 'closed_by_server'));
    open.add(conn);
    return conn;
  };

  const send = () => {
    const conn = idle.pop() ?? (open.size < maxSockets ? newConnection() : undefined);
    sent++;
    if (!conn) return void count(errors, 'client_saturated');
    conn.idle = false;
    conn.busy = true;
    busy++;
    conn.sentAt = performance.now();
    conn.socket.write(request);
  };

  const started = performance.now();
  let scannedAt = started;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - scannedAt >= TIMEOUT_SCAN_MS) {
        scannedAt = now;
        for (const conn of open) {
          if (conn.busy && now - conn.sentAt > timeoutMs) fail(conn, 'timeout');
        }
      }
      const elapsed = now - started;
      if (elapsed < durationMs) {
        const due = Math.floor((elapsed * ratePerSecond) / 1000) - sent;
        for (let i = 0; i < due; i++) send();
      } else if (busy === 0 || elapsed > durationMs + timeoutMs) {
        clearInterval(timer);
        done();
      }
    }, TICK_MS);
  });
  for (const conn of [...open]) fail(conn, 'unanswered_at_end');
  return {
    sent,
    statuses,
    retryAfter,
    errors,
    ok: percentiles(latency.ok),
    unavailable: percentiles(latency.unavailable),
    answeredPerSecond: Math.round((answered * 1000) / (performance.now() - started)),
  };
}

function percentiles(values: number[]): Latency {
  const sorted = values.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round(sorted.at(-1) ?? 0) };
}
