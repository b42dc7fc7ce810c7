import { describe, expect, it } from '@jest/globals';
import {
  checkPolicies,
  KUBE_LINTER_RULES,
  KUBE_SCORE_RULES,
  POLARIS_RULES,
  POLICY_RULES,
  STAYUP_RULES,
} from './policy-rules.js';
import { SEED_LIKE } from './seed-like.fixture.js';

// Each tool's rules are shown firing in rules/<tool>.spec.ts; here, what spans the tools.
describe('policy rules', () => {
  it('catches a PDB that blocks every drain and a missing PDB', () => {
    const blocked = checkPolicies([
      { ...SEED_LIKE[0] },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'x', namespace: 'lemon' },
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'lemon-api' } } },
      },
    ]).map((f) => f.rule);
    expect(blocked).toEqual(
      expect.arrayContaining(['polaris/pdbDisruptionsIsZero', 'kube-linter/pdb-max-unavailable']),
    );
    const missing = checkPolicies([SEED_LIKE[0]]).map((f) => f.rule);
    expect(missing).toEqual(
      expect.arrayContaining([
        'polaris/missingPodDisruptionBudget',
        'kube-score/deployment-has-poddisruptionbudget',
      ]),
    );
  });

  it('has unique rule ids from the three tools and our own', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^(polaris|kube-score|kube-linter|stayup)\//.test(id))).toBe(true);
  });

  it('holds each tool in its own file, in a stable order: Polaris, kube-score, kube-linter', () => {
    expect(POLICY_RULES).toEqual([
      ...POLARIS_RULES,
      ...KUBE_SCORE_RULES,
      ...KUBE_LINTER_RULES,
      ...STAYUP_RULES,
    ]);
    for (const [tool, rules] of [
      ['polaris', POLARIS_RULES],
      ['kube-score', KUBE_SCORE_RULES],
      ['kube-linter', KUBE_LINTER_RULES],
      ['stayup', STAYUP_RULES],
    ] as const) {
      expect(rules.map((r) => r.id.split('/')[0])).toEqual(rules.map(() => tool));
    }
    expect([POLARIS_RULES.length, KUBE_SCORE_RULES.length, KUBE_LINTER_RULES.length]).toEqual([
      29, 20, 27,
    ]);
  });
});
