import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from 'node:http';

/**
 * Headers for a JSON API (OWASP REST Security Cheat Sheet): no MIME sniffing, no framing, no
 * caching, nothing to load, no referrer. (@fastify/helmet targets HTML pages: a dozen headers
 * and a hook per request.)
 * @see https://cheatsheetseries.owasp.org/cheatsheets/REST_Security_Cheat_Sheet.html#security-headers
 */
export const JSON_API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
};

/** Options of {@link jsonApiResponse}. */
export interface JsonApiResponseOptions {
  /** Headers every response carries unless the handler set its own value (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** The request's id, sent back as `x-request-id` when there is one. */
  readonly requestId?: (req: IncomingMessage) => string | undefined;
}

type HeadersArgument = OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined;

/**
 * A `ServerResponse` class (for `http.createServer({ ServerResponse })`, or Fastify's `http`
 * option) whose every response carries the given headers: routes, 404s, framework errors, and
 * answers written straight to the Node response alike, with no hook on the request path.
 *
 * Why not `res.setHeader()` on arrival: each call validates and stores an entry, and once any
 * header is set that way, `writeHead(status, headers)` takes Node's slow path and re-validates
 * every header the framework passes. Here they join the headers object the framework hands to
 * `writeHead`, which Node then writes in one pass. Why: docs/internals.md#json-api-response
 *
 * A header the handler set (through `writeHead`'s argument or `setHeader()`) keeps its value.
 */
export function jsonApiResponse(options: JsonApiResponseOptions): typeof ServerResponse {
  const defaults = Object.entries(options.headers).map(
    ([name, value]) => [name.toLowerCase(), value] as const,
  );
  const requestId = options.requestId;

  class JsonApiResponse extends ServerResponse {
    override writeHead(
      statusCode: number,
      reasonOrHeaders?: string | HeadersArgument,
      maybeHeaders?: HeadersArgument,
    ): this {
      const hasReason = typeof reasonOrHeaders === 'string';
      const given = hasReason ? maybeHeaders : (reasonOrHeaders as HeadersArgument);
      if (Array.isArray(given))
        return this.writeHeadWithPairs(statusCode, hasReason ? reasonOrHeaders : undefined, given);
      const headers: OutgoingHttpHeaders = {};
      for (const [name, value] of defaults) {
        if ((given === undefined || given[name] === undefined) && !this.hasHeader(name))
          headers[name] = value;
      }
      const id = requestId?.(this.req);
      if (
        id !== undefined &&
        given?.['x-request-id'] === undefined &&
        !this.hasHeader('x-request-id')
      ) {
        headers['x-request-id'] = id;
      }
      if (given) Object.assign(headers, given);
      return hasReason
        ? super.writeHead(statusCode, reasonOrHeaders, headers)
        : super.writeHead(statusCode, headers);
    }

    /** `writeHead` with [name, value, ...] pairs: rare; ours go in through setHeader (Node's slow path). */
    private writeHeadWithPairs(
      statusCode: number,
      reason: string | undefined,
      pairs: OutgoingHttpHeader[],
    ): this {
      const named = lowerCaseNames(pairs);
      const id = requestId?.(this.req);
      const wanted = id === undefined ? defaults : [...defaults, ['x-request-id', id] as const];
      for (const [name, value] of wanted) {
        if (!named.has(name) && !this.hasHeader(name)) this.setHeader(name, value);
      }
      return reason === undefined
        ? super.writeHead(statusCode, pairs)
        : super.writeHead(statusCode, reason, pairs);
    }
  }
  // Node instantiates it per request with the request type the server was created with
  return JsonApiResponse as typeof ServerResponse;
}

function lowerCaseNames(pairs: OutgoingHttpHeader[]): Set<string> {
  const names = new Set<string>();
  // Node accepts [name, value, name, value, ...] or [[name, value], ...]
  for (let i = 0; i < pairs.length; i++) {
    const item = pairs[i];
    if (Array.isArray(item)) names.add(String(item[0]).toLowerCase());
    else if (i % 2 === 0) names.add(String(item).toLowerCase());
  }
  return names;
}
