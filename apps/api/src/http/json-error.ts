import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Answers with the error body Nest and Fastify use (`{ statusCode, error, message }`), for the
 * places that answer on the raw Node response: the HTTP observer's refusals and the metrics server.
 */
export function writeJsonError(
  res: ServerResponse,
  statusCode: number,
  error: string,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const body = JSON.stringify({ statusCode, error, message });
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
