import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import type { CompletedRequest } from './completed-request.js';
import { LOGGED_URL_MAX_CHARS, requestLogLine } from './request-log-line.js';

/**
 * The access-log line is built by hand (why: docs/internals.md#request-log-line); it must stay
 * what pino writes for the same call with the API's logger settings (createApiLogger in
 * logger.ts), byte for byte apart from the timestamp, so that log pipelines parse one shape.
 * Like request-duration-histogram.spec.ts does against prom-client.
 */
function pinoLine(
  r: CompletedRequest,
  pid: number,
  url: { url: string; urlLength?: number } = { url: r.url },
): string {
  const lines: string[] = [];
  const logger = pino(
    {
      level: 'info',
      base: { pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => void lines.push(line) },
  );
  const fields = {
    reqId: r.id,
    method: r.method,
    ...url,
    route: r.route,
    statusCode: r.statusCode,
    durationMs: Math.round(r.durationMs * 1000) / 1000,
    ...(r.completed ? {} : { aborted: true }),
  };
  logger.info(fields, 'request completed');
  return lines[0];
}

const TIME = /"time":"[^"]+"/;
const base: CompletedRequest = {
  id: '0cb987a5-38af-453e-97cc-c1e1502c4eb2',
  method: 'GET',
  url: '/hello',
  route: '/hello',
  statusCode: 200,
  durationMs: 0.4123456,
  completed: true,
};

describe('requestLogLine', () => {
  it.each<[string, Partial<CompletedRequest>]>([
    ['a plain request', {}],
    ['an aborted one', { completed: false, statusCode: 499 }],
    ['an unmatched route', { url: '/nope', route: 'unmatched', statusCode: 404 }],
    ['a URL with quotes, backslashes and control characters', { url: '/a"b\\c\u0001\u2028?x=%ff' }],
    ['a URL with non-ASCII text', { url: '/héllo/日本' }],
    ['a long duration', { durationMs: 12_345.6789 }],
  ])('is what pino writes for %s', (_case, change) => {
    const request = { ...base, ...change };
    const ours = requestLogLine(request, 7);
    const theirs = pinoLine(request, 7);
    expect(ours.replace(TIME, '"time":"T"')).toBe(theirs.replace(TIME, '"time":"T"'));
    expect(JSON.parse(ours).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it(`keeps a URL of ${LOGGED_URL_MAX_CHARS} characters whole`, () => {
    const url = `/hello?q=${'a'.repeat(LOGGED_URL_MAX_CHARS - 9)}`;
    const ours = requestLogLine({ ...base, url }, 7);
    expect(ours.replace(TIME, '')).toBe(pinoLine({ ...base, url }, 7).replace(TIME, ''));
    expect(JSON.parse(ours).url).toBe(url);
  });

  it.each<[string, string]>([
    ['a 4 KiB URL', `/hello?q=${'a'.repeat(4087)}`],
    ['a URL of quotes and control characters', `/"${'"\\\u0001\u2028'.repeat(1000)}`],
    ['a URL of non-ASCII text', `/${'日本'.repeat(1000)}`],
  ])(
    `cuts %s at ${LOGGED_URL_MAX_CHARS} characters, marked with … and its length: what pino writes for those fields`,
    (_case, url) => {
      const request = { ...base, url };
      const cut = `${url.slice(0, LOGGED_URL_MAX_CHARS)}…`;
      const ours = requestLogLine(request, 7);
      const theirs = pinoLine(request, 7, { url: cut, urlLength: url.length });
      expect(ours.replace(TIME, '')).toBe(theirs.replace(TIME, ''));
      expect(JSON.parse(ours)).toMatchObject({ url: cut, urlLength: url.length });
    },
  );

  it('does not cut a surrogate pair in two', () => {
    const url = `/${'a'.repeat(LOGGED_URL_MAX_CHARS - 2)}\ud83d\ude80${'b'.repeat(100)}`;
    const logged = JSON.parse(requestLogLine({ ...base, url }, 7));
    expect(logged.url).toBe(`${url.slice(0, LOGGED_URL_MAX_CHARS - 1)}…`);
    expect(logged.urlLength).toBe(url.length);
  });
});
