import { describe, expect, it } from '@jest/globals';
import { isRequestTargetForm } from './request-target.js';

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
