import type { ServerRequestHooks } from '@stayup/nest-lifecycle';
import type { FastifyInstance } from 'fastify';
import type { CompletedRequest } from '../observability/completed-request.js';
import type { HttpMetrics } from '../observability/http-metrics.js';
import {
  recordRouteTemplates,
  routeTemplateOf,
  tagRouteTemplate,
} from '../observability/route-templates.js';
import { assignRequestId, assignedRequestId } from './request-id.js';
import { refuseUnservableTarget } from './request-target.js';

/** Options of {@link createApiRequestHooks}. */
export interface ApiRequestHooksOptions {
  readonly metrics: HttpMetrics;
  /** Called once per request when its response closes (the access log line). */
  readonly onCompleted: (request: CompletedRequest) => void;
  /**
   * Paths the lifecycle answers before Fastify (the probes): labelled with their own path, not
   * as unmatched.
   */
  readonly probePaths?: readonly string[];
}

/**
 * The API's per-request pipeline, run on the raw HTTP server by @stayup/nest-lifecycle's
 * connection tracking rather than in Fastify hooks (which take Fastify off its hook-free path:
 * docs/internals.md#lean-fastify-adapter):
 * - on arrival: the request id, the route of the probes (answered before Fastify) ({@link assignRequestId}; the response class sends it back), then
 *   414/400 for targets the API cannot serve ({@link refuseUnservableTarget}), counted by reason;
 * - on close: one histogram observation by route template ({@link recordRouteTemplates}) and
 *   one `onCompleted` call.
 */
export function createApiRequestHooks(
  fastify: FastifyInstance,
  options: ApiRequestHooksOptions,
): ServerRequestHooks {
  const { metrics, onCompleted } = options;
  const probePaths = new Set(options.probePaths);
  recordRouteTemplates(fastify);
  return {
    onRequest(req, res) {
      assignRequestId(req);
      if (probePaths.has(req.url ?? '')) tagRouteTemplate(res, req.url ?? '');
      const refused = refuseUnservableTarget(req, res);
      if (refused === undefined) return false;
      metrics.reject(refused);
      return true;
    },
    onResponseClosed(req, res, durationMs) {
      const route = routeTemplateOf(res);
      const method = req.method ?? 'GET';
      metrics.observe(method, route, res.statusCode, durationMs / 1000);
      onCompleted({
        id: assignedRequestId(req) ?? '',
        method,
        url: req.url ?? '',
        route,
        statusCode: res.statusCode,
        durationMs,
        completed: res.writableFinished,
      });
    },
  };
}
