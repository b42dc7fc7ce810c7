import type { HealthIndicatorResult } from '@nestjs/terminus';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LifecycleService } from '../lifecycle.service.js';

/** Answers a probe request itself and returns true, or returns false to let the framework. */
export type ProbeResponder = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where the probes are, and which of them can be answered without the framework. */
export interface ProbeResponderOptions {
  readonly readinessPath: string;
  readonly livenessPath: string;
  /**
   * Whether readiness is decided by the lifecycle state alone. With readiness indicators (a
   * database ping) it is not: terminus must run them, through {@link checkReadiness} when given,
   * else through the framework.
   */
  readonly readinessFromStateAlone: boolean;
  /** Runs readiness with its indicators through terminus: the status and body to answer. */
  readonly checkReadiness?: () => Promise<{ readonly status: number; readonly body: object }>;
}

/**
 * Answers the probes on the raw HTTP server, before the framework and before load shedding, with
 * exactly the status, headers and body terminus gives (the module's tests hold the two equal):
 * a replica busy enough to shed requests still answers its kubelet and its load balancer at
 * once, so it is not taken out of rotation, or restarted, for being busy.
 */
export function createProbeResponder(
  lifecycle: LifecycleService,
  options: ProbeResponderOptions,
): ProbeResponder {
  const readiness = `/${trimSlashes(options.readinessPath)}`;
  const liveness = `/${trimSlashes(options.livenessPath)}`;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = pathOf(req.url ?? '');
    if (path === liveness) return answer(res, lifecycle.liveness());
    if (path !== readiness) return false;
    if (options.readinessFromStateAlone) return answer(res, lifecycle.readiness());
    const { checkReadiness } = options;
    if (!checkReadiness) return false;
    checkReadiness().then(
      ({ status, body }) => write(res, status, body),
      () => write(res, 503, { status: 'error', info: {}, error: {}, details: {} }),
    );
    return true;
  };
}

/** terminus's response for one indicator: `ok` with it in `info`, or `error` with it in `error`. */
function answer(res: ServerResponse, result: HealthIndicatorResult): true {
  const up = Object.values(result).every((indicator) => indicator.status === 'up');
  write(res, up ? 200 : 503, {
    status: up ? 'ok' : 'error',
    info: up ? result : {},
    error: up ? {} : result,
    details: result,
  });
  return true;
}

/** Writes a probe's answer as terminus's controller does (its Cache-Control included). */
function write(res: ServerResponse, status: number, json: object): void {
  if (res.destroyed) return; // the prober gave up while indicators ran
  const body = Buffer.from(JSON.stringify(json));
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-cache, no-store, must-revalidate');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
