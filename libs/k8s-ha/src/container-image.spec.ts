import { describe, expect, it } from '@jest/globals';
import { parseImage } from './container-image.js';

describe('parseImage', () => {
  it.each([
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['localhost:5000/api:2.0.0', { repository: 'localhost:5000/api', tag: '2.0.0' }],
    [
      'Registry.Example.com/team/api:v1_2',
      { repository: 'Registry.Example.com/team/api', tag: 'v1_2' },
    ],
    [`r/api@sha256:${'b'.repeat(64)}`, { repository: 'r/api', digest: `sha256:${'b'.repeat(64)}` }],
    [
      `r/api:1.0@sha256:${'c'.repeat(64)}`,
      { repository: 'r/api', tag: '1.0', digest: `sha256:${'c'.repeat(64)}` },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImage('image', image)).toEqual(expected);
  });

  it.each([
    ['localhost:5000/api', `'image' (localhost:5000/api) must be pinned by a tag or a digest`],
    [
      'r/api@sha256:abc',
      `'image' (r/api@sha256:abc) must have a digest of the form sha256:<64 hex digits>`,
    ],
    ['my image:1', `'image' (my image:1) must be an image reference: e.g. 'registry/app:1.2.3'`],
    [
      'Registry.Example.com/Team/API:1.0.0',
      `'image' (Registry.Example.com/Team/API:1.0.0) must have a lower-case repository path (letters, digits, '.', '_', '-'): registries refuse upper case; use 'Registry.Example.com/team/api:1.0.0'`,
    ],
    ['r/api:-1', `'image' (r/api:-1) must have a tag of letters, digits, '_', '.' and '-'`],
  ])('refuses %s', (image, message) => {
    expect(() => parseImage('image', image)).toThrow(message);
  });
});
