import { describe, expect, it } from '@jest/globals';
import { ApiAlertRules } from './api-alert-rules.js';
import { HaDeployment } from './ha-deployment.js';
import { HaHorizontalPodAutoscaler } from './ha-horizontal-pod-autoscaler.js';
import { HaNamespace } from './ha-namespace.js';
import { HaNetworkPolicy, type HaNetworkPolicyProps } from './ha-network-policy.js';
import { HaPodDisruptionBudget } from './ha-pod-disruption-budget.js';
import { HaPriorityClass } from './ha-priority-class.js';
import { HaService } from './ha-service.js';
import { only, synth } from './private/testing.js';

const withDeployment = (
  build: (chart: import('cdk8s').Chart, d: HaDeployment) => void,
  metricsPort?: number | false,
) =>
  synth((chart) =>
    build(
      chart,
      new HaDeployment(chart, 'd', {
        name: 'api',
        namespace: 'api',
        image: 'r/api:1.0.0',
        metricsPort,
        autoscaled: true,
      }),
    ),
  );

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

describe('HaService', () => {
  it('is a ClusterIP on port 80 targeting the named container port', () => {
    const svc = only(
      withDeployment((c, d) => new HaService(c, 's', { deployment: d })),
      'Service',
    );
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });
});

describe('HaHorizontalPodAutoscaler', () => {
  it('scales 2-10 on cpu 70 % and memory 80 %, up fast and down slowly', () => {
    const hpa = only(
      withDeployment((c, d) => new HaHorizontalPodAutoscaler(c, 'h', { deployment: d })),
      'HorizontalPodAutoscaler',
    );
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 30 },
            { type: 'Pods', value: 4, periodSeconds: 30 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          selectPolicy: 'Min',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    });
  });

  it.each([
    [
      { cpuUtilization: 5 },
      `'scaling.cpuUtilization' (5) must be an integer from 10 to 100: use a percentage of the request, e.g. 70`,
    ],
    [
      { minReplicas: 0, allowSingleReplica: true },
      `'scaling.minReplicas' (0) must be an integer from 1 to 1000: use 2 or more`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() =>
      withDeployment((c, d) => new HaHorizontalPodAutoscaler(c, 'h', { deployment: d, ...props })),
    ).toThrow(message);
  });
});

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

describe('HaPriorityClass', () => {
  it('has value 100000, preempts lower priorities and is never the global default', () => {
    const pc = only(
      synth((c) => new HaPriorityClass(c, 'p', { name: 'api-high' })),
      'PriorityClass',
    );
    expect(pc).toMatchObject({
      value: 100000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      metadata: { name: 'api-high' },
    });
  });

  it('refuses values reserved for system-critical pods', () => {
    expect(() =>
      synth((c) => new HaPriorityClass(c, 'p', { name: 'x', value: 2_000_000_000 })),
    ).toThrow(
      `'priorityClass.value' (2000000000) must be an integer from 1 to 1000000000: values above 1e9 are reserved for system-critical pods`,
    );
  });
});

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

  it('has no metrics rule without a metrics port', () => {
    expect(policy({}, false).spec.ingress).toHaveLength(1);
  });

  it('refuses a malformed CIDR', () => {
    expect(() => policy({ loadBalancerCidrs: ['10.0.0.0/33'] })).toThrow(
      `'networkPolicy.loadBalancerCidrs[0]' (10.0.0.0/33) must be an IPv4 CIDR: e.g. '10.0.0.0/16' for the VPC`,
    );
  });
});

describe('ApiAlertRules', () => {
  it('emits a PrometheusRule with availability and latency alerts', () => {
    const rule = only(
      withDeployment((c, d) => new ApiAlertRules(c, 'a', { deployment: d })),
      'PrometheusRule',
    );
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata.labels.release).toBe('prometheus');
    const alerts = rule.spec.groups.flatMap((g: { rules: Array<{ alert: string }> }) =>
      g.rules.map((r) => r.alert),
    );
    expect(alerts).toEqual(['ApiHighErrorRatio', 'ApiReplicasUnavailable', 'ApiHighLatencyP99']);
    expect(rule.spec.groups[0].rules[0].expr).toBe(
      'sum(rate(http_request_duration_seconds_count{namespace="api",pod=~"api-.*",status_code=~"5.."}[5m])) / ' +
        'sum(rate(http_request_duration_seconds_count{namespace="api",pod=~"api-.*"}[5m])) > 0.01',
    );
  });

  it('refuses an error ratio outside (0, 1)', () => {
    expect(() =>
      withDeployment((c, d) => new ApiAlertRules(c, 'a', { deployment: d, maxErrorRatio: 1.5 })),
    ).toThrow(`'alerts.maxErrorRatio' (1.5) must be between 0 and 1: e.g. 0.01 for 1 %`);
  });
});
