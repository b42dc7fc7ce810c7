import {
  DEFAULT_HTTP_PORT,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_DELAY_MS,
  LIVENESS_PATH,
  READINESS_PATH,
  ServiceEnv,
} from '@stayup/contract';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The baseline of the fault suite: the service as a careful developer writes it with node:http
 * alone, the same endpoints, environment variables and drain as the API, without its defences:
 * - `GET /hello` → 200 `{"message":"Hello!"}`; the readiness path → 200, 503 once draining;
 *   the liveness path → 200;
 * - one JSON log line per request on stdout (`process.stdout.write`, as `console.log` does),
 *   unless LOG_LEVEL is above info;
 * - SIGTERM → readiness down, serve SHUTDOWN_DELAY_MS more, then `server.close()` and exit 0.
 * The source is written out with the contract's names and paths filled in.
 */
export const BARE_SERVICE_SOURCE = `import { createServer } from 'node:http';
const port = Number(process.env.${ServiceEnv.port} ?? ${DEFAULT_HTTP_PORT});
const host = process.env.${ServiceEnv.host} ?? '0.0.0.0';
const delayMs = Number(process.env.${ServiceEnv.shutdownDelayMs} ?? ${DEFAULT_SHUTDOWN_DELAY_MS});
const logRequests = ['info', 'debug', 'trace', undefined].includes(process.env.${ServiceEnv.logLevel});
let draining = false;
const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const server = createServer((req, res) => {
  const started = performance.now();
  if (logRequests) res.on('finish', () => process.stdout.write(JSON.stringify({ level: 'info', time: Date.now(), method: req.method, url: req.url, statusCode: res.statusCode, durationMs: performance.now() - started }) + '\\n'));
  if (req.url === '/hello') json(res, 200, { message: 'Hello!' });
  else if (req.url === '${READINESS_PATH}') json(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ok' });
  else if (req.url === '${LIVENESS_PATH}') json(res, 200, { status: 'ok' });
  else json(res, 404, { message: 'Not Found' });
});
server.keepAliveTimeout = ${DEFAULT_KEEP_ALIVE_TIMEOUT_MS};
server.listen(port, host);
process.once('SIGTERM', () => {
  draining = true;
  setTimeout(() => server.close(() => process.exit(0)), delayMs);
});
`;

let written: string | undefined;

/** Writes {@link BARE_SERVICE_SOURCE} to a temporary file once and returns its path. */
export function bareServiceEntry(): string {
  if (!written) {
    written = join(mkdtempSync(join(tmpdir(), 'stayup-bare-')), 'bare-service.mjs');
    writeFileSync(written, BARE_SERVICE_SOURCE);
  }
  return written;
}
