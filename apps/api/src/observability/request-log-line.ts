import type { CompletedRequest } from './completed-request.js';

/**
 * Builds the per-request log line, field for field what pino would write for
 * `logger.info({ reqId, method, url, route, statusCode, durationMs }, 'request completed')`
 * with the API's settings (string level, ISO time, pid), but without pino's generic
 * serializer: the shape is fixed, so it is one template string. Strings that may hold anything
 * (url) go through JSON.stringify; method and route are HTTP tokens and route templates, the id is
 * a UUID or a validated `x-request-id`. Why: docs/internals.md#request-log-line
 */
export function requestLogLine(r: CompletedRequest, pid: number): string {
  return (
    `{"level":"info","time":"${isoNow()}","pid":${pid},` +
    `"reqId":"${r.id}","method":"${r.method}","url":${JSON.stringify(r.url)},` +
    `"route":${JSON.stringify(r.route)},"statusCode":${r.statusCode},` +
    `"durationMs":${Math.round(r.durationMs * 1000) / 1000},` +
    (r.completed ? '' : '"aborted":true,') +
    `"msg":"request completed"}\n`
  );
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
