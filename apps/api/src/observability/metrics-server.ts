import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { writeJsonError } from '../http/json-error.js';

/**
 * Serves `GET /metrics` on its own port, apart from the public one, so the load balancer never
 * exposes it. Plain `node:http`, outside Nest: it keeps answering while the API drains.
 */
export function startMetricsServer(
  registry: Registry,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics') {
      writeJsonError(res, 404, 'Not Found', `Cannot ${req.method} ${path}`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      writeJsonError(res, 405, 'Method Not Allowed', `Cannot ${req.method} /metrics`, {
        allow: 'GET, HEAD',
      });
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        writeJsonError(res, 500, 'Internal Server Error', 'metrics collection failed');
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
