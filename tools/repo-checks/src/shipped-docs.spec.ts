import { describe, expect, it } from '@jest/globals';
import { repoInternalPaths } from './shipped-docs.js';

describe('repoInternalPaths', () => {
  it('finds repository paths a reader of the published package cannot follow', () => {
    expect(
      repoInternalPaths(
        'The suite (`apps/api-e2e`) and tools/k8s-policy prove it; Why: docs/internals.md#connection-tracker',
      ),
    ).toEqual(['apps/api-e2e', 'tools/k8s-policy', 'docs/internals.md#connection-tracker']);
  });

  it('leaves links, package names and other words alone', () => {
    expect(
      repoInternalPaths(
        'See [the suite](https://github.com/stayup-dev/stayup/tree/main/apps/api-e2e), ' +
          '@stayup/k8s-ha, node_modules/x, https://kubernetes.io/docs/concepts/, rollapps/x',
      ),
    ).toEqual([]);
  });
});
