import { asText, resolve, resourcesOfType } from '../cfn.ts';
import { clusterNamed, clustersOf, getPath, kubectlResourcesOf, type KubeObject } from '../eks.ts';
import type { Assembly, Finding, Rule } from '../types.ts';

/** The container port name that says "scrape me" (the stayup contract's, Prometheus' habit). */
export const METRICS_PORT_NAME = 'metrics';
/** The EKS add-on whose agents can scrape Prometheus endpoints, and where it runs them. */
const CLOUDWATCH_ADDON = 'amazon-cloudwatch-observability';
const CLOUDWATCH_NAMESPACE = 'amazon-cloudwatch';
/** Helm charts that install a Prometheus scraping the pods their PodMonitors/ServiceMonitors name. */
const PROMETHEUS_CHARTS = ['kube-prometheus-stack'];
const SCRAPE_ANNOTATION = 'prometheus.io/scrape';

/** A collector the deploy installs, and which pods it scrapes from where. */
interface Collector {
  readonly what: string;
  readonly namespace: string;
  /** On the node's network: no NetworkPolicy namespace or pod selector can match it. */
  readonly hostNetwork: boolean;
  /** Port names it keeps; undefined: the pods its monitor objects select (Prometheus Operator). */
  readonly portNames?: readonly string[];
  /** Whether it scrapes pods annotated `prometheus.io/scrape: "true"`. */
  readonly annotated: boolean;
}

/**
 * metrics-scraped: every Deployment with a container port named `metrics` (or annotated
 * `prometheus.io/scrape: "true"`) is scraped by a collector the same deploy installs in its
 * cluster, and the NetworkPolicies that select its pods admit that collector on that port.
 * - Collectors: an `amazon-cloudwatch-observability` add-on agent with a `prometheus.config`
 *   (namespace `amazon-cloudwatch`; `hostNetwork` from the agent, the chart's default `true`,
 *   and always before add-on v6.2.0:
 *   aws-observability/helm-charts, charts/amazon-cloudwatch-observability/values.yaml `agent:` and
 *   templates/linux/cloudwatch-agent-custom-resource.yaml), keeping pods by
 *   `__meta_kubernetes_pod_container_port_name` or by the scrape annotation; a
 *   kube-prometheus-stack release (its namespace), for pods a PodMonitor/ServiceMonitor names.
 * - A pod selected by an Ingress NetworkPolicy accepts only what a rule admits; a namespace
 *   selector never matches a hostNetwork pod
 *   (https://kubernetes.io/docs/concepts/services-networking/network-policies/, "hostNetwork pods").
 */
export const metricsScraped: Rule = {
  id: 'metrics-scraped',
  description:
    "every workload's metrics port is scraped by a collector the deploy installs, and its NetworkPolicy admits that collector",
  check(assembly: Assembly): Finding[] {
    const findings: Finding[] = [];
    const clusters = clustersOf(assembly);
    const resources = kubectlResourcesOf(assembly);
    for (const cluster of clusters) {
      const peers = resources.filter(
        (r) => r.cluster?.stack === cluster.stack && r.cluster.logicalId === cluster.logicalId,
      );
      const all = peers.flatMap((r) => r.objects);
      const collectors = collectorsOf(clusters, cluster, peers);
      for (const r of peers) {
        for (const deployment of r.objects.filter((o) => o.kind === 'Deployment')) {
          const message = check(deployment, all, collectors);
          if (message) {
            findings.push({
              rule: 'metrics-scraped',
              stack: r.stack.name,
              logicalId: r.logicalId,
              message,
            });
          }
        }
      }
    }
    return findings;
  },
};

function collectorsOf(
  clusters: ReturnType<typeof clustersOf>,
  cluster: ReturnType<typeof clustersOf>[number],
  peers: ReturnType<typeof kubectlResourcesOf>,
): Collector[] {
  const found: Collector[] = [];
  const addons = resourcesOfType(cluster.stack, 'AWS::EKS::Addon').filter(([, a]) => {
    const p = resolve(a.Properties ?? {}, cluster.stack);
    const name = asText(getPath(p, 'ClusterName') as string);
    return (
      getPath(p, 'AddonName') === CLOUDWATCH_ADDON &&
      clusterNamed(clusters, cluster.stack, name)?.logicalId === cluster.logicalId
    );
  });
  for (const [, addon] of addons) {
    const version = /^v(\d+)\.(\d+)\./.exec(String(addon.Properties?.AddonVersion ?? ''));
    // before 6.2.0 the chart wrote `hostNetwork: true` for every agent, whatever the entry said
    // (aws-observability/helm-charts@ffea3d4, templates/linux/cloudwatch-agent-custom-resource.yaml)
    const alwaysHostNetwork =
      version !== null && Number(version[1]) * 1000 + Number(version[2]) < 6002;
    const text = asText(resolve(addon.Properties?.ConfigurationValues ?? '{}', cluster.stack));
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch {
      continue;
    }
    const agents = (getPath(config, 'agents') as unknown[] | undefined) ?? [];
    for (const agent of agents) {
      const jobs = (getPath(agent, 'prometheus', 'config', 'scrape_configs') as unknown[]) ?? [];
      if (jobs.length === 0) continue;
      const keeps = jobs.flatMap((job) =>
        ((getPath(job, 'relabel_configs') as unknown[]) ?? []).filter(
          (c) => getPath(c, 'action') === 'keep',
        ),
      );
      const keptBy = (label: string) =>
        keeps
          .filter((c) => (getPath(c, 'source_labels') as string[] | undefined)?.includes(label))
          .map((c) => String(getPath(c, 'regex')));
      found.push({
        what: `the ${CLOUDWATCH_ADDON} agent ${String(getPath(agent, 'name'))}`,
        namespace: CLOUDWATCH_NAMESPACE,
        hostNetwork: alwaysHostNetwork || getPath(agent, 'hostNetwork') !== false,
        portNames: keptBy('__meta_kubernetes_pod_container_port_name'),
        annotated: keptBy('__meta_kubernetes_pod_annotation_prometheus_io_scrape').includes('true'),
      });
    }
  }
  for (const r of peers) {
    if (r.helm && PROMETHEUS_CHARTS.includes(r.helm.chart.split('/').pop() ?? '')) {
      found.push({
        what: `the ${r.helm.chart} release`,
        namespace: r.helm.namespace,
        hostNetwork: false,
        annotated: false,
      });
    }
  }
  return found;
}

/** What is wrong with how `deployment`'s metrics are scraped, or undefined. */
function check(deployment: KubeObject, all: readonly KubeObject[], collectors: Collector[]) {
  const pod = getPath(deployment.body, 'spec', 'template') as Record<string, unknown>;
  const labels = (getPath(pod, 'metadata', 'labels') as Record<string, string>) ?? {};
  const annotated = getPath(pod, 'metadata', 'annotations', SCRAPE_ANNOTATION) === 'true';
  const ports = ((getPath(pod, 'spec', 'containers') as unknown[]) ?? []).flatMap(
    (c) => (getPath(c, 'ports') as { name?: string; containerPort: number }[]) ?? [],
  );
  const port = ports.find((p) => p.name === METRICS_PORT_NAME);
  if (!port && !annotated) return undefined;
  const name = `Deployment ${deployment.namespace}/${deployment.name}`;
  const monitored = all.some(
    (o) =>
      (o.kind === 'PodMonitor' || o.kind === 'ServiceMonitor') &&
      o.namespace === deployment.namespace,
  );
  const scraping = collectors.filter((c) =>
    c.portNames === undefined
      ? monitored
      : (port && c.portNames.some((re) => new RegExp(`^(?:${re})$`).test(port.name ?? ''))) ||
        (annotated && c.annotated),
  );
  if (scraping.length === 0) {
    return `${name} serves metrics (port ${port?.name ?? 'annotated'}) but nothing in this deploy scrapes them${collectors.length > 0 ? ` (${collectors.map((c) => c.what).join(', ')} keep other pods)` : ''}: dashboards and alarms stay empty. Fix: install a collector that keeps this port (e.g. the ${CLOUDWATCH_ADDON} add-on with a Prometheus agent), or a PodMonitor for a Prometheus Operator the deploy installs`;
  }
  const policies = all.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.namespace === deployment.namespace &&
      selects(getPath(o.body, 'spec', 'podSelector'), labels) &&
      isIngressPolicy(o),
  );
  if (policies.length === 0) return undefined;
  const target = port ?? ports[0];
  const admitted = scraping.find((c) => policies.some((p) => admits(p, c, target)));
  if (admitted) return undefined;
  const c = scraping[0];
  return c.hostNetwork
    ? `${name}'s NetworkPolicy cannot admit ${c.what}: it runs on the node's network (hostNetwork), which no namespaceSelector matches, so every scrape is dropped. Fix: run the scraper on the pod network (hostNetwork: false) and admit namespace ${c.namespace}`
    : `${name}'s NetworkPolicy does not admit ${c.what} (namespace ${c.namespace}) on port ${target?.name ?? target?.containerPort}: every scrape is dropped. Fix: an ingress rule from namespaceSelector kubernetes.io/metadata.name: ${c.namespace} on that port`;
}

const selects = (selector: unknown, labels: Record<string, string>) => {
  const match = (getPath(selector, 'matchLabels') as Record<string, string>) ?? {};
  return Object.entries(match).every(([k, v]) => labels[k] === v);
};

function isIngressPolicy(policy: KubeObject): boolean {
  const types = getPath(policy.body, 'spec', 'policyTypes') as string[] | undefined;
  return types ? types.includes('Ingress') : true;
}

function admits(
  policy: KubeObject,
  collector: Collector,
  port: { name?: string; containerPort: number } | undefined,
): boolean {
  const rules = (getPath(policy.body, 'spec', 'ingress') as unknown[]) ?? [];
  return rules.some((rule) => {
    const ports = (getPath(rule, 'ports') as { port?: string | number }[] | undefined) ?? [];
    const onPort =
      ports.length === 0 ||
      ports.some(
        (p) => p.port === undefined || p.port === port?.name || p.port === port?.containerPort,
      );
    if (!onPort) return false;
    const from = (getPath(rule, 'from') as unknown[] | undefined) ?? [];
    if (from.length === 0) return true;
    if (collector.hostNetwork) return false;
    return from.some((peer) => {
      const ns = getPath(peer, 'namespaceSelector');
      if (ns === undefined) return false;
      const match = (getPath(ns, 'matchLabels') as Record<string, string>) ?? {};
      const namespaceMatches = Object.entries(match).every(
        ([k, v]) => k === 'kubernetes.io/metadata.name' && v === collector.namespace,
      );
      const podSelector = getPath(peer, 'podSelector');
      const anyPod =
        podSelector === undefined ||
        Object.keys((getPath(podSelector, 'matchLabels') as object) ?? {}).length === 0;
      return namespaceMatches && anyPod;
    });
  });
}
