import { describe, expect, it } from '@jest/globals';
import { HaPodDisruptionBudget } from './ha-pod-disruption-budget.js';
import { withDeployment, only } from './private/testing.js';

describe('HaPodDisruptionBudget', () => {
  it('allows one pod down and always lets unhealthy pods be evicted', () => {
    const pdb = only(
      withDeployment(
        (c, d) => new HaPodDisruptionBudget(c, 'p', { deployment: d, minReplicas: 3 }),
      ),
      'PodDisruptionBudget',
    );
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      },
    });
  });
});
