import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeJsonError } from './json-error.js';

/** Longest request target accepted; longer ones get 414 (Node refuses headers over 16 KiB with 431). */
export const MAX_URL_LENGTH = 4096;

/** Why a request was refused before routing: the `reason` label of the rejection counter. */
export type TargetRejection = 'uri_too_long' | 'invalid_target';

const ABSOLUTE_FORM = /^https?:\/\/[^/?#]/i;

/**
 * RFC 9112 §3.2: a request target is a path (origin-form), an absolute URL (absolute-form), or
 * `*` for OPTIONS (asterisk-form); authority-form is for CONNECT only, which this API does not
 * serve. Node's parser lets others through (`GET *hello`), which Fastify's router would route as
 * if they began with "/" and Nest's not-found path fails on with a 500.
 * @see https://www.rfc-editor.org/rfc/rfc9112#section-3.2
 */
export function isRequestTargetForm(target: string, method = 'GET'): boolean {
  const first = target.charCodeAt(0);
  if (first === 47 /* "/" */) return true;
  if (first === 42 /* "*" */) return target.length === 1 && method === 'OPTIONS';
  return ABSOLUTE_FORM.test(target);
}

/**
 * Answers, before routing, a request whose target the API cannot serve: 414 over
 * {@link MAX_URL_LENGTH} characters, 400 in no RFC 9112 form. Returns the reason when it answered.
 */
export function refuseUnservableTarget(
  req: IncomingMessage,
  res: ServerResponse,
): TargetRejection | undefined {
  const target = req.url ?? '';
  if (target.length > MAX_URL_LENGTH) {
    writeJsonError(
      res,
      414,
      'URI Too Long',
      `the request target is longer than ${MAX_URL_LENGTH} characters`,
    );
    return 'uri_too_long';
  }
  if (!isRequestTargetForm(target, req.method)) {
    writeJsonError(
      res,
      400,
      'Bad Request',
      'the request target must be a path ("/hello") or an absolute http(s) URL',
    );
    return 'invalid_target';
  }
  return undefined;
}
