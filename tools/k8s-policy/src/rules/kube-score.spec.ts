import { describe, expect, it } from '@jest/globals';
import { checkPolicies } from '../policy-rules.js';
import { SEED_LIKE } from '../seed-like.fixture.js';
import { KUBE_SCORE_RULES } from './kube-score.js';

describe('kube-score rules', () => {
  const findings = checkPolicies(SEED_LIKE, KUBE_SCORE_RULES);
  const rules = new Set(findings.map((f) => f.rule));

  it.each([
    'kube-score/container-resources',
    'kube-score/container-ephemeral-storage-request-and-limit',
    'kube-score/container-image-tag',
    'kube-score/container-image-pull-policy',
    'kube-score/container-security-context-user-group-id',
    'kube-score/pod-probes',
    'kube-score/pod-networkpolicy',
    'kube-score/deployment-has-host-podantiaffinity',
    'kube-score/deployment-targeted-by-hpa-does-not-have-replicas',
    'kube-score/networkpolicy-targets-pod',
    'kube-score/service-type',
  ])('%s catches the seed-style manifests', (rule) => {
    expect(rules).toContain(rule);
  });

  it('names the object and says what is wrong', () => {
    expect(findings).toContainEqual({
      rule: 'kube-score/service-type',
      object: 'Service/lemon/lemon-api',
      message: 'type NodePort',
    });
    expect(findings).toContainEqual({
      rule: 'kube-score/pod-probes',
      object: 'Deployment/lemon/lemon-api',
      message: 'readiness and liveness probes are identical',
    });
  });
});
