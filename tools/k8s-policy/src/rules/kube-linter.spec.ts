import { describe, expect, it } from '@jest/globals';
import type { K8sObject } from '../manifest.js';
import { checkPolicies } from '../policy-rules.js';
import { SEED_LIKE } from '../seed-like.fixture.js';
import { KUBE_LINTER_RULES } from './kube-linter.js';

describe('kube-linter rules', () => {
  const findings = checkPolicies(SEED_LIKE, KUBE_LINTER_RULES);
  const rules = new Set(findings.map((f) => f.rule));

  it.each([
    'kube-linter/run-as-non-root',
    'kube-linter/latest-tag',
    'kube-linter/env-var-secret',
    'kube-linter/invalid-target-ports',
    'kube-linter/dangling-networkpolicy',
    'kube-linter/pdb-unhealthy-pod-eviction-policy',
  ])('%s catches the seed-style manifests', (rule) => {
    expect(rules).toContain(rule);
  });

  it('env-var-secret flags a literal under any SECRET_NAME name', () => {
    const pod: K8sObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'c:1',
            env: [
              { name: 'AWS_ACCESS_KEY_ID', value: 'x' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } },
              { name: 'PORT', value: '8080' },
            ],
          },
        ],
      },
    };
    expect(
      checkPolicies([pod], KUBE_LINTER_RULES).filter(
        (f) => f.rule === 'kube-linter/env-var-secret',
      ),
    ).toEqual([
      {
        rule: 'kube-linter/env-var-secret',
        object: 'Pod/p:c',
        message: 'literal AWS_ACCESS_KEY_ID',
      },
    ]);
  });
});
