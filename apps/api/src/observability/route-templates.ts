import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { UNMATCHED_ROUTE } from './http-metrics.js';

const kRoute = Symbol('stayup.route');
type TaggedResponse = ServerResponse & { [kRoute]?: string };

/**
 * Wraps every route handler once, when the route is registered (`onRoute`), so that it notes its
 * route template on the response: metrics and logs are labelled by template, never by raw URL,
 * and no hook runs on the request path. Call it before the routes are registered.
 */
export function recordRouteTemplates(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const handler = route.handler;
    const template = route.url;
    route.handler = function (request, reply) {
      (reply.raw as TaggedResponse)[kRoute] = template;
      return handler.call(this, request, reply);
    };
  });
}

/** Notes `template` as the route of `res`, for requests answered before Fastify routes them. */
export function tagRouteTemplate(res: ServerResponse, template: string): void {
  (res as TaggedResponse)[kRoute] = template;
}

/** The template of the route that answered, or {@link UNMATCHED_ROUTE} (404s, early refusals). */
export function routeTemplateOf(res: ServerResponse): string {
  return (res as TaggedResponse)[kRoute] ?? UNMATCHED_ROUTE;
}
