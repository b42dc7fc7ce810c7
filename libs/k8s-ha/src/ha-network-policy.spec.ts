import { describe, expect, it } from '@jest/globals';
import { HaNetworkPolicy, type HaNetworkPolicyProps } from './ha-network-policy.js';
import { withDeployment, only } from './private/testing.js';

describe('HaNetworkPolicy', () => {
  const policy = (props: Partial<HaNetworkPolicyProps> = {}, metricsPort?: number | false) =>
    only(
      withDeployment(
        (c, d) => new HaNetworkPolicy(c, 'n', { deployment: d, ...props }),
        metricsPort,
      ),
      'NetworkPolicy',
    );

  it('denies by default; lets the load balancer reach http and monitoring reach metrics; DNS out', () => {
    const np = policy();
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([
      {
        from: [
          { ipBlock: { cidr: '10.0.0.0/8' } },
          { ipBlock: { cidr: '172.16.0.0/12' } },
          { ipBlock: { cidr: '192.168.0.0/16' } },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ protocol: 'TCP', port: 9464 }],
      },
    ]);
    expect(np.spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ]);
  });

  it('takes the VPC CIDR, ingress namespaces, the monitoring namespace and declared egress', () => {
    const np = policy({
      loadBalancerCidrs: ['10.42.0.0/16'],
      ingressNamespaces: ['ingress-nginx'],
      monitoringNamespace: 'observability',
      egress: [{ cidr: '10.42.128.0/20', port: 5432 }],
    });
    expect(np.spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '10.42.0.0/16' } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
    expect(
      np.spec.ingress[1].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
    ).toBe('observability');
    expect(np.spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '10.42.128.0/20' } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
  });

  it('admits egress to a namespace (optionally some of its pods) on a port', () => {
    const np = policy({
      egress: [
        { namespace: 'payments', podLabels: { 'app.kubernetes.io/name': 'ledger' }, port: 8080 },
        { namespace: 'cache', port: 6379 },
      ],
    });
    expect(np.spec.egress.slice(1)).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ledger' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cache' } } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      },
    ]);
    expect(() => policy({ egress: [{ namespace: 'Payments', port: 8080 }] })).toThrow(
      `'networkPolicy.egress[0].namespace' (Payments) must be a DNS-1123 label`,
    );
    expect(() => policy({ egress: [{ cidr: '10.0.0.0/24', port: 0 }] })).toThrow(
      `'networkPolicy.egress[0].port' (0) must be an integer from 1 to 65535: e.g. 5432`,
    );
  });

  it('has no metrics rule without a metrics port', () => {
    expect(policy({}, false).spec.ingress).toHaveLength(1);
  });

  it('refuses a malformed CIDR', () => {
    expect(() => policy({ loadBalancerCidrs: ['10.0.0.0/33'] })).toThrow(
      `'networkPolicy.loadBalancerCidrs[0]' (10.0.0.0/33) must be an IPv4 CIDR: e.g. '10.0.0.0/16' for the VPC`,
    );
  });

  it('refuses an empty list of sources, which Kubernetes reads as every source', () => {
    expect(() => policy({ loadBalancerCidrs: [] })).toThrow(
      `'networkPolicy.loadBalancerCidrs' ([]) must name at least one source when 'networkPolicy.ingressNamespaces' is empty too: a NetworkPolicy rule with no sources admits every source; give the VPC CIDR (e.g. ['10.0.0.0/16']), or networkPolicy: false to go without a policy knowingly`,
    );
    const fromNamespace = policy({ loadBalancerCidrs: [], ingressNamespaces: ['ingress-nginx'] });
    expect(fromNamespace.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ]);
  });
});
