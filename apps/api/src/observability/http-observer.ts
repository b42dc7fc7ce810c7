import type { RequestObserver } from '@stayup/nest-lifecycle';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { writeJsonError } from '../http/json-error.js';
import { UNMATCHED_ROUTE, type HttpMetrics } from './http-metrics.js';

/** Longest request target accepted; longer ones get 414 (Node refuses headers over 16 KiB with 431). */
export const MAX_URL_LENGTH = 4096;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const kId = Symbol('stayup.requestId');
const kRoute = Symbol('stayup.route');
type TaggedRequest = IncomingMessage & { [kId]?: string };
type TaggedResponse = ServerResponse & { [kRoute]?: string };

/**
 * An incoming `x-request-id` is honoured when it is a plausible id (at most 128 characters of
 * [A-Za-z0-9._:-], so nobody can inject into the logs); otherwise a UUID.
 */
export function requestId(req: { headers: IncomingHttpHeaders }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Fastify's `genReqId`: the id the observer gave the request (or a new one). */
export function fastifyRequestId(req: { headers: IncomingHttpHeaders }): string {
  return observedRequestId(req as IncomingMessage) ?? requestId(req);
}

/** The id the observer gave the request, if it saw it (for the `x-request-id` response header). */
export function observedRequestId(req: IncomingMessage): string | undefined {
  return (req as TaggedRequest)[kId];
}

/**
 * RFC 9112 §3.2: a request target is a path (origin-form), an absolute URL (absolute-form), or
 * `*` for OPTIONS (asterisk-form); authority-form is for CONNECT only, which this API does not
 * serve. Node's parser lets others through (`GET *hello`), which Fastify's router would route as
 * if they began with "/" and Nest's not-found path fails on with a 500.
 */
export function isRequestTargetForm(target: string, method = 'GET'): boolean {
  const first = target.charCodeAt(0);
  if (first === 47 /* "/" */) return true;
  if (first === 42 /* "*" */) return target.length === 1 && method === 'OPTIONS';
  return ABSOLUTE_FORM.test(target);
}

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]/i;

/** What is known of a finished request. */
export interface CompletedRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  /** Route template, or `unmatched`. */
  readonly route: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Whether the response was fully written (false: the client went away first). */
  readonly completed: boolean;
}

/** Options of {@link createHttpObserver}. */
export interface HttpObserverOptions {
  readonly metrics: HttpMetrics;
  /** Called once per request when its response closes (the access log line). */
  readonly onCompleted: (request: CompletedRequest) => void;
}

/**
 * Per-request observability and hardening, without a Fastify hook on the request path:
 * - every route handler is wrapped once, at registration (`onRoute`), to note its route
 *   template on the response, so metrics are labelled by template, never by raw URL;
 * - on arrival (a {@link RequestObserver} of @stayup/nest-lifecycle, on the raw server): the
 *   request id (sent back by the response class, see json-api-response.ts), 414 for over-long
 *   targets and 400 for targets in no valid form ({@link isRequestTargetForm});
 * - on close: one histogram observation and one `onCompleted` call.
 *
 * Measured with tools/bench/throughput.mjs: Fastify `onRequest` + `onResponse` hooks with a pino
 * call per request cost ~40 % of /hello throughput; see the README, "Speed", for this path's cost.
 */
export function createHttpObserver(
  fastify: FastifyInstance,
  options: HttpObserverOptions,
): RequestObserver {
  const { metrics, onCompleted } = options;
  fastify.addHook('onRoute', (route) => {
    const handler = route.handler;
    const template = route.url;
    route.handler = function (request, reply) {
      (reply.raw as TaggedResponse)[kRoute] = template;
      return handler.call(this, request, reply);
    };
  });
  return {
    onRequest(req, res) {
      const id = requestId(req);
      (req as TaggedRequest)[kId] = id;
      const target = req.url ?? '';
      if (target.length > MAX_URL_LENGTH) {
        metrics.reject('uri_too_long');
        writeJsonError(
          res,
          414,
          'URI Too Long',
          `the request target is longer than ${MAX_URL_LENGTH} characters`,
        );
        return true;
      }
      if (!isRequestTargetForm(target, req.method)) {
        metrics.reject('invalid_target');
        writeJsonError(
          res,
          400,
          'Bad Request',
          'the request target must be a path ("/hello") or an absolute http(s) URL',
        );
        return true;
      }
      return false;
    },
    onResponse(req, res, durationMs) {
      const route = (res as TaggedResponse)[kRoute] ?? UNMATCHED_ROUTE;
      const method = req.method ?? 'GET';
      metrics.observe(method, route, res.statusCode, durationMs / 1000);
      onCompleted({
        id: (req as TaggedRequest)[kId] ?? '',
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
