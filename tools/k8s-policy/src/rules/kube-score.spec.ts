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

  it('asks for readiness and liveness probes only on pods a Service targets, like kube-score', () => {
    // zegl/kube-score score/probes/probes.go, containerProbes: "If pod isn't targeted by a
    // service, skip probe checks"
    const deployment = (labels: Record<string, string>) =>
      ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'worker', namespace: 'q' },
        spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'w' }] } } },
      }) as const;
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'q' },
      spec: { selector: { app: 'web' } },
    } as const;
    const probes = (objects: object[]) =>
      checkPolicies(objects as never, KUBE_SCORE_RULES).filter(
        (f) => f.rule === 'kube-score/pod-probes',
      );
    expect(probes([deployment({ app: 'worker' }), service])).toEqual([]);
    expect(probes([deployment({ app: 'web' }), service])).toEqual([
      {
        rule: 'kube-score/pod-probes',
        object: 'Deployment/q/worker',
        message: 'readiness or liveness probe missing',
      },
    ]);
  });
});
