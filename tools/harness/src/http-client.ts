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
