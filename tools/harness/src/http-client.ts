import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

/** A response with its body read. */
export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  /** @default 'GET' */
  readonly method?: string;
  /** Agent to use; `false` for a fresh connection closed afterwards. @default false */
  readonly agent?: Agent | false;
  /** @default {} */
  readonly headers?: Record<string, string>;
  /** Abort after this many milliseconds. @default 5000 */
  readonly timeoutMs?: number;
  /** Called with the socket the request is sent on (new or reused). @default none */
  readonly onSocket?: (socket: Socket) => void;
}

/** One HTTP request over a real socket; rejects on socket errors and time-outs. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        agent: options.agent ?? false,
        headers: options.headers,
        timeout: options.timeoutMs ?? 5_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    if (options.onSocket) req.on('socket', options.onSocket);
    req.on('timeout', () =>
      req.destroy(new Error(`timed out after ${options.timeoutMs ?? 5_000} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}

/** Options of {@link waitForStatus}. */
export interface WaitForStatusOptions {
  /** The status waited for. @default 200 */
  readonly status?: number;
  /** Give up after this many milliseconds. @default 10000 */
  readonly timeoutMs?: number;
  /** Pause between two requests. @default 5 */
  readonly intervalMs?: number;
  /** Time-out of each request; a request that fails or times out counts as no answer. @default 1000 */
  readonly requestTimeoutMs?: number;
}

/**
 * Polls `GET url`, a fresh connection each time, until it answers `status` (as a readiness probe
 * does); resolves true then, or false once `timeoutMs` has passed.
 */
export async function waitForStatus(
  url: string,
  options: WaitForStatusOptions = {},
): Promise<boolean> {
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  while (performance.now() < deadline) {
    const status = await httpRequest(url, { timeoutMs: options.requestTimeoutMs ?? 1_000 }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === (options.status ?? 200)) return true;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 5));
  }
  return false;
}
