import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const kId = Symbol('stayup.requestId');
type TaggedRequest = IncomingMessage & { [kId]?: string };

/**
 * An incoming `x-request-id` is honoured when it is a plausible id (at most 128 characters of
 * [A-Za-z0-9._:-], so nobody can inject into the logs); otherwise a UUID.
 */
export function requestId(req: { headers: IncomingHttpHeaders }): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Gives the request its id on arrival (see {@link requestId}) and returns it. */
export function assignRequestId(req: IncomingMessage): string {
  const id = requestId(req);
  (req as TaggedRequest)[kId] = id;
  return id;
}

/** The id given on arrival, if any: for the `x-request-id` response header and the log line. */
export function assignedRequestId(req: IncomingMessage): string | undefined {
  return (req as TaggedRequest)[kId];
}

/** Fastify's `genReqId`: the id given on arrival (or a new one), so Fastify and the logs agree. */
export function fastifyRequestId(req: { headers: IncomingHttpHeaders }): string {
  return assignedRequestId(req as IncomingMessage) ?? requestId(req);
}
