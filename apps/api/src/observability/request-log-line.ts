import type { CompletedRequest } from './completed-request.js';

/**
 * Longest URL logged whole, in UTF-16 characters. A longer one is logged as its first 512
 * characters followed by `…`, with `"urlLength"` (its full length) after it. Request targets of up
 * to 4096 characters are served, and 100 clients sending those wrote 413 MB of logs a minute
 * (issue 14); cut, ~85 MB at most, and any real path and query stays readable.
 */
export const LOGGED_URL_MAX_CHARS = 512;

/**
 * Builds the per-request log line, field for field what pino would write for
 * `logger.info({ reqId, method, url, route, statusCode, durationMs }, 'request completed')`
 * with the API's settings (string level, ISO time, pid), but without pino's generic
 * serializer: the shape is fixed, so it is one template string. Strings that may hold anything
 * (url) go through JSON.stringify, the url cut at {@link LOGGED_URL_MAX_CHARS} (then
 * `url, urlLength` are what pino writes for those two fields); method and route are HTTP tokens
 * and route templates, the id is a UUID or a validated `x-request-id` (at most 128 characters of
 * `[A-Za-z0-9._:-]`), so the line is bounded. Why: docs/internals.md#request-log-line
 */
export function requestLogLine(r: CompletedRequest, pid: number): string {
  return (
    `{"level":"info","time":"${isoNow()}","pid":${pid},` +
    `"reqId":"${r.id}","method":"${r.method}","url":${loggedUrl(r.url)},` +
    `"route":${JSON.stringify(r.route)},"statusCode":${r.statusCode},` +
    `"durationMs":${Math.round(r.durationMs * 1000) / 1000},` +
    (r.completed ? '' : '"aborted":true,') +
    `"msg":"request completed"}\n`
  );
}

/** The url field's JSON value: the URL, or its first characters, `…` and `"urlLength"`. */
function loggedUrl(url: string): string {
  if (url.length <= LOGGED_URL_MAX_CHARS) return JSON.stringify(url);
  let end = LOGGED_URL_MAX_CHARS;
  const last = url.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not cut a surrogate pair in two
  return `${JSON.stringify(`${url.slice(0, end)}…`)},"urlLength":${url.length}`;
}

let lastMs = 0;
let lastIso = '';

/** `new Date().toISOString()`, formatted at most once per millisecond (many requests share one). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
