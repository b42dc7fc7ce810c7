import { describe, expect, it } from '@jest/globals';
import type { K8sObject } from '../manifest.js';
import { checkPolicies } from '../policy-rules.js';
import { STAYUP_RULES } from './stayup.js';

const policy = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api', namespace: 'api' },
  spec: {
    podSelector: { matchLabels: { app: 'api' } },
    policyTypes: ['Ingress', 'Egress'],
    ...spec,
  },
});

describe('stayup rules', () => {
  it('flags from: [] and to: [], which admit every peer', () => {
    // what `networkPolicy: { loadBalancerCidrs: [] }` emitted before k8s-ha refused it
    const open = policy({
      ingress: [{ from: [], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [{ to: [], ports: [{ port: 53, protocol: 'UDP' }] }],
    });
    expect(checkPolicies([open], STAYUP_RULES)).toEqual([
      {
        rule: 'stayup/networkpolicy-empty-peers',
        object: 'NetworkPolicy/api/api',
        message:
          'ingress[0].from is [], egress[0].to is []: an empty peer list admits every peer; list the peers, or omit the field to allow all on purpose',
      },
    ]);
  });

  it('passes listed peers, and a rule that omits the field (everyone, on purpose)', () => {
    const closed = policy({
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }, { ports: [{ port: 9464 }] }],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    });
    expect(checkPolicies([closed], STAYUP_RULES)).toEqual([]);
  });
});
