import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import type { Template } from '../types.ts';
import { rolloutGates } from './rollout-gates.ts';

// Readiness gates: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
// minReadySeconds: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#min-ready-seconds
// Auto Mode has no readiness gates: https://github.com/aws/containers-roadmap/issues/2511

const labels = { app: 'api' };
const objects = (o: {
  namespaceLabels?: Record<string, string>;
  maxUnavailable?: number | string;
  minReadySeconds?: number;
  ingressClass?: { name: string; controller: string };
}) => [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'app', labels: o.namespaceLabels ?? {} },
  },
  ...(o.ingressClass
    ? [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'IngressClass',
          metadata: { name: o.ingressClass.name },
          spec: { controller: o.ingressClass.controller },
        },
      ]
    : []),
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'app' },
    spec: {
      minReadySeconds: o.minReadySeconds,
      strategy: { rollingUpdate: { maxUnavailable: o.maxUnavailable ?? 0, maxSurge: 1 } },
      template: { metadata: { labels } },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'app' },
    spec: { selector: labels },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'api',
      namespace: 'app',
      annotations: {
        'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '5',
        'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
      },
    },
    spec: {
      ingressClassName: o.ingressClass?.name ?? 'alb',
      rules: [{ http: { paths: [{ backend: { service: { name: 'api' } } }] } }],
    },
  },
];

const template = (manifest: object[], withController = true): Template => ({
  Resources: {
    App: {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: { ClusterName: 'c', Manifest: JSON.stringify(manifest) },
    },
    ...(withController
      ? {
          Lbc: {
            Type: 'Custom::AWSCDK-EKS-HelmChart',
            Properties: {
              ClusterName: 'c',
              Chart: 'aws-load-balancer-controller',
              Namespace: 'kube-system',
            },
          },
        }
      : {}),
  },
});
const messages = (t: Template) =>
  rolloutGates.check(assemblyOf({ name: 's', template: t }), {}).map((f) => f.message);

describe('rollout-gates', () => {
  it('behind the AWS Load Balancer Controller, fires on a namespace without readiness-gate injection', () => {
    expect(messages(template(objects({})))).toEqual([
      expect.stringContaining(
        'Namespace app lacks the label elbv2.k8s.aws/pod-readiness-gate-inject: enabled',
      ),
    ]);
    expect(
      messages(
        template(
          objects({ namespaceLabels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } }),
        ),
      ),
    ).toEqual([]);
  });

  it('behind EKS Auto Mode, fires on a minReadySeconds below the health checks plus registration', () => {
    const auto = { name: 'alb-auto', controller: 'eks.amazonaws.com/alb' };
    expect(messages(template(objects({ ingressClass: auto, minReadySeconds: 5 }), false))).toEqual([
      expect.stringContaining(
        "Deployment app/api has minReadySeconds 5 behind EKS Auto Mode's load balancing, which has no readiness gates: the ALB needs 20 s",
      ),
    ]);
    expect(messages(template(objects({ ingressClass: auto, minReadySeconds: 20 }), false))).toEqual(
      [],
    );
  });

  it('fires on a Deployment behind an Ingress that may take old pods down first', () => {
    const gated = { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' };
    expect(messages(template(objects({ namespaceLabels: gated, maxUnavailable: '25%' })))).toEqual([
      expect.stringContaining(
        'has maxUnavailable "25%": a rollout stops old pods before their replacements serve',
      ),
    ]);
  });

  it('says nothing about an Ingress no known controller serves', () => {
    expect(messages(template(objects({}), false))).toEqual([]);
  });
});
