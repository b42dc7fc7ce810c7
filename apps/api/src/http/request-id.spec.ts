import { describe, expect, it } from '@jest/globals';
import { requestId } from './request-id.js';

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
