import { connect } from 'node:net';

/** What came back on a raw socket. */
export interface RawResponse {
  /** Status code of the first response line, 0 when nothing parseable came back. */
  readonly status: number;
  /** Everything received. */
  readonly raw: string;
  /** Whether the server closed the connection (rather than the time-out). */
  readonly closedByServer: boolean;
}

/**
 * Writes `data` (string or bytes, as is) to a new TCP connection and collects the answer until the
 * server closes or `timeoutMs` passes. For requests an HTTP client library would refuse to send.
 */
export function rawRequest(
  port: number,
  data: string | Buffer,
  timeoutMs = 2_000,
): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0);
      resolve({ status, raw, closedByServer });
    });
  });
}
