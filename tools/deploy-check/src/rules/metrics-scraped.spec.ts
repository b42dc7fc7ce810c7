import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import type { Template } from '../types.ts';
import { metricsScraped } from './metrics-scraped.ts';

// The add-on's `agents` (each merged over `agent`, whose hostNetwork defaults to true):
//   aws-observability/helm-charts@71a298ff, charts/amazon-cloudwatch-observability/values.yaml
//   (`agents:`, `agent.hostNetwork: true`), templates/linux/cloudwatch-agent-custom-resource.yaml
//   (`range .Values.agents`, `hostNetwork: {{ $agent.hostNetwork }}`, `prometheus: config:`).
// NetworkPolicy semantics (namespaceSelector; hostNetwork pods match no selector):
//   https://kubernetes.io/docs/concepts/services-networking/network-policies/

const labels = { app: 'api' };
const deployment = (annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'app' },
  spec: {
    template: {
      metadata: { labels, annotations },
      spec: {
        containers: [
          {
            name: 'api',
            ports: [
              { name: 'http', containerPort: 3000 },
              { name: 'metrics', containerPort: 9464 },
            ],
          },
        ],
      },
    },
  },
});
const policy = (from: object[], port: string | number = 'metrics') => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'api', namespace: 'app' },
  spec: {
    podSelector: { matchLabels: labels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from, ports: [{ port, protocol: 'TCP' }] }],
  },
});
const fromNamespace = (name: string) => [
  { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } },
];
const scraper = (o: { hostNetwork?: boolean; portName?: string } = {}) => ({
  name: 'cloudwatch-agent-prometheus',
  mode: 'deployment',
  ...(o.hostNetwork === undefined ? {} : { hostNetwork: o.hostNetwork }),
  prometheus: {
    config: {
      scrape_configs: [
        {
          job_name: 'pods',
          kubernetes_sd_configs: [{ role: 'pod' }],
          relabel_configs: [
            {
              source_labels: ['__meta_kubernetes_pod_container_port_name'],
              regex: o.portName ?? 'metrics',
              action: 'keep',
            },
          ],
        },
      ],
    },
  },
});

const template = (objects: object[], agents?: object[], addonVersion?: string): Template => ({
  Resources: {
    Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c', Version: '1.36' } },
    App: {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: JSON.stringify(objects) },
    },
    ...(agents
      ? {
          Observability: {
            Type: 'AWS::EKS::Addon',
            Properties: {
              ClusterName: { Ref: 'Cluster' },
              AddonName: 'amazon-cloudwatch-observability',
              ...(addonVersion ? { AddonVersion: addonVersion } : {}),
              ConfigurationValues: JSON.stringify({
                agents: [{ name: 'cloudwatch-agent' }, ...agents],
              }),
            },
          },
        }
      : {}),
  },
});
const messages = (t: Template) =>
  metricsScraped.check(assemblyOf({ name: 's', template: t }), {}).map((f) => f.message);

describe('metrics-scraped', () => {
  it('fires when nothing in the deploy scrapes a metrics port (the pre-issue-11 cluster stacks)', () => {
    expect(messages(template([deployment(), policy(fromNamespace('monitoring'))]))).toEqual([
      expect.stringContaining(
        'Deployment app/api serves metrics (port metrics) but nothing in this deploy scrapes them',
      ),
    ]);
    // the add-on alone (its default agents) scrapes no Prometheus endpoint
    expect(messages(template([deployment()], []))).toEqual([
      expect.stringContaining('nothing in this deploy scrapes them'),
    ]);
  });

  it('fires when the NetworkPolicy admits another namespace than the scraper’s', () => {
    expect(
      messages(
        template(
          [deployment(), policy(fromNamespace('monitoring'))],
          [scraper({ hostNetwork: false })],
        ),
      ),
    ).toEqual([
      expect.stringContaining(
        "Deployment app/api's NetworkPolicy does not admit the amazon-cloudwatch-observability agent cloudwatch-agent-prometheus (namespace amazon-cloudwatch) on port metrics",
      ),
    ]);
    expect(
      messages(
        template(
          [deployment(), policy(fromNamespace('amazon-cloudwatch'))],
          [scraper({ hostNetwork: false })],
        ),
      ),
    ).toEqual([]);
  });

  it('fires on a scraper on the node network (the add-on default), which no namespace rule can admit', () => {
    expect(
      messages(template([deployment(), policy(fromNamespace('amazon-cloudwatch'))], [scraper()])),
    ).toEqual([expect.stringContaining("it runs on the node's network (hostNetwork)")]);
  });

  it('fires on an add-on older than v6.2.0, which runs every agent on the node network', () => {
    // aws-observability/helm-charts@ffea3d4 ("Release 6.2.0"): `hostNetwork: true` hard-coded before
    const policy2 = policy(fromNamespace('amazon-cloudwatch'));
    const agents = [scraper({ hostNetwork: false })];
    expect(messages(template([deployment(), policy2], agents, 'v6.1.0-eksbuild.1'))).toEqual([
      expect.stringContaining("it runs on the node's network (hostNetwork)"),
    ]);
    expect(messages(template([deployment(), policy2], agents, 'v6.2.0-eksbuild.1'))).toEqual([]);
  });

  it('fires when the scraper keeps other port names', () => {
    expect(
      messages(
        template(
          [deployment(), policy(fromNamespace('amazon-cloudwatch'))],
          [scraper({ hostNetwork: false, portName: 'prom' })],
        ),
      ),
    ).toEqual([expect.stringContaining('keep other pods')]);
  });

  it('says nothing about pods without a metrics port, or without an ingress NetworkPolicy', () => {
    const plain = deployment();
    plain.spec.template.spec.containers[0].ports = [{ name: 'http', containerPort: 3000 }];
    expect(messages(template([plain]))).toEqual([]);
    expect(messages(template([deployment()], [scraper({ hostNetwork: false })]))).toEqual([]);
  });
});
