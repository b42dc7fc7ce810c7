import { describe, expect, it } from '@jest/globals';
import { HaNamespace } from './ha-namespace.js';
import { only, synth } from './private/testing.js';

describe('HaNamespace', () => {
  it('enforces restricted Pod Security and injects ALB readiness gates', () => {
    const ns = only(
      synth((c) => new HaNamespace(c, 'n', { name: 'api' })),
      'Namespace',
    );
    expect(ns.metadata).toEqual({
      name: 'api',
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
        'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      },
    });
  });

  it('allows baseline and no readiness gates as explicit opt-outs', () => {
    const ns = only(
      synth(
        (c) =>
          new HaNamespace(c, 'n', {
            name: 'legacy',
            podSecurity: 'baseline',
            albReadinessGates: false,
          }),
      ),
      'Namespace',
    );
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['elbv2.k8s.aws/pod-readiness-gate-inject']).toBeUndefined();
  });

  it('refuses a name that is not a DNS-1123 label', () => {
    expect(() => synth((c) => new HaNamespace(c, 'n', { name: '-api' }))).toThrow(
      `'name' (-api) must be a DNS-1123 label`,
    );
  });
});
