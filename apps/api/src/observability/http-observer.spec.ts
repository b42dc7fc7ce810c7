import { describe, expect, it } from '@jest/globals';
import { isRequestTargetForm, requestId } from './http-observer.js';

describe('isRequestTargetForm (RFC 9112 §3.2)', () => {
  it.each([
    ['/hello', 'GET'],
    ['/', 'GET'],
    ['//hello', 'GET'], // odd but origin-form: the router answers it (404)
    ['/hello?x=%ff', 'GET'],
    ['http://api.example/hello', 'GET'],
    ['HTTPS://api.example:8443/hello?x=1', 'GET'],
    ['*', 'OPTIONS'],
  ])('accepts %s (%s)', (target, method) => {
    expect(isRequestTargetForm(target, method)).toBe(true);
  });

  it.each([
    ['*hello', 'GET'],
    ['*', 'GET'],
    ['hello', 'GET'],
    ['api.example:443', 'GET'],
    ['http://', 'GET'],
    ['http:///hello', 'GET'],
    ['ftp://api.example/hello', 'GET'],
    ['', 'GET'],
  ])('refuses %s (%s)', (target, method) => {
    expect(isRequestTargetForm(target, method)).toBe(false);
  });
});

describe('requestId', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('keeps a plausible incoming x-request-id', () => {
    expect(requestId({ headers: { 'x-request-id': 'abc-123:x.y_z' } })).toBe('abc-123:x.y_z');
  });

  it('replaces a missing, repeated, over-long or unsafe one with a UUID', () => {
    for (const incoming of [undefined, ['a', 'b'], 'x'.repeat(129), 'a b', 'a"b', '']) {
      expect(requestId({ headers: { 'x-request-id': incoming } })).toMatch(UUID);
    }
  });
});
