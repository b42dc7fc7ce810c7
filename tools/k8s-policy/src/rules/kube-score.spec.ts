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

  it('leaves the seed-style :latest image with no pull policy alone, as kube-score does (Kubernetes pulls it Always)', () => {
    expect(rules).not.toContain('kube-score/container-image-pull-policy');
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

  it('wants imagePullPolicy Always, unless kube-score/ignore names the check, like kube-score', () => {
    // zegl/kube-score (06dedc9) score/container/container.go, containerImagePullPolicy (lines
    // 171-197): init and app containers; unset passes only for an empty or latest tag.
    // scorecard/enabled.go isEnabled: `kube-score/ignore` (comma-separated, trimmed) on the object
    // or on its pod template skips the check (README.md, "Ignoring a test", line 125).
    const deployment = (
      policy: string | undefined,
      image: string,
      annotations?: Record<string, string>,
      templateAnnotations?: Record<string, string>,
    ) =>
      ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'q', annotations },
        spec: {
          template: {
            metadata: { annotations: templateAnnotations },
            spec: {
              initContainers: [{ name: 'init', image, imagePullPolicy: policy }],
              containers: [{ name: 'api', image, imagePullPolicy: policy }],
            },
          },
        },
      }) as const;
    const pull = (o: object) =>
      checkPolicies([o] as never, KUBE_SCORE_RULES)
        .filter((f) => f.rule === 'kube-score/container-image-pull-policy')
        .map((f) => `${f.object}: ${f.message}`);
    expect(pull(deployment('IfNotPresent', 'r/api:1.0.0'))).toEqual([
      'Deployment/q/api:init: imagePullPolicy is IfNotPresent',
      'Deployment/q/api:api: imagePullPolicy is IfNotPresent',
    ]);
    expect(pull(deployment(undefined, 'r/api:1.0.0'))).toHaveLength(2);
    expect(pull(deployment(undefined, 'r/api:latest'))).toEqual([]);
    expect(pull(deployment(undefined, 'r/api'))).toEqual([]);
    expect(pull(deployment('Always', 'r/api:1.0.0'))).toEqual([]);
    expect(
      pull(
        deployment('IfNotPresent', 'r/api:1.0.0', {
          'kube-score/ignore': 'pod-networkpolicy, container-image-pull-policy',
        }),
      ),
    ).toEqual([]);
    expect(
      pull(
        deployment('Never', 'r/api:1.0.0', undefined, {
          'kube-score/ignore': 'container-image-pull-policy',
        }),
      ),
    ).toEqual([]);
    // the implied ignore: container-resources also skips the ephemeral-storage check
    const ephemeral = checkPolicies(
      [
        deployment('Always', 'r/api:1.0.0', { 'kube-score/ignore': 'container-resources' }),
      ] as never,
      KUBE_SCORE_RULES,
    ).filter((f) => f.rule.startsWith('kube-score/container-ephemeral-storage'));
    expect(ephemeral).toEqual([]);
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
