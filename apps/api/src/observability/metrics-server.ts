import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { writeJsonError } from '../http/json-error.js';

/** Answers a probe request and returns true, or returns false (`answerProbe` of the lifecycle). */
export type ProbeAnswerer = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Serves `GET /metrics` on its own port, apart from the public one, so the load balancer never
 * exposes it, and the probes (`/ready`, `/alive`) too when `answerProbe` is given: there they never
 * wait behind traffic on a saturated public port, so a replica under overload still answers
 * its kubelet. Plain `node:http`, outside Nest: it keeps answering while the API drains.
 */
export function startMetricsServer(
  registry: Registry,
  port: number,
  host: string,
  answerProbe?: ProbeAnswerer,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (answerProbe?.(req, res)) return;
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
