import { ServiceMetric } from '@stayup/contract';
import { Duration } from 'aws-cdk-lib';

/** The extra agent that scrapes Prometheus endpoints. */
export const PROMETHEUS_SCRAPER_AGENT = 'cloudwatch-agent-prometheus';
/** One scraper: counters are sent as per-scrape deltas, which two replicas would double. */
export const PROMETHEUS_SCRAPER_REPLICAS = 1;
/** The longest a scrape may take (Prometheus' default), shortened to the interval if above it. */
export const MAX_SCRAPE_TIMEOUT = Duration.seconds(10);
/** Scrape jobs: pods by their port name, and pods with the `prometheus.io/*` annotations. */
export const SCRAPE_JOBS = { portName: 'pods-by-port-name', annotated: 'pods-annotated' } as const;
/** The pod label whose value becomes the `App` dimension: `app.kubernetes.io/name`. */
export const APP_LABEL_META = '__meta_kubernetes_pod_label_app_kubernetes_io_name';
/** The counter that also gets a `status_class` dimension (`5xx`, from `status_code`). */
export const REQUEST_COUNTER = ServiceMetric.requests;

/** What the scraper agent is built from: {@link ClusterObservability}'s settings. */
export interface ScraperAgentSettings {
  readonly region: string;
  readonly clusterName: string;
  readonly scrapeInterval: Duration;
  readonly metricNamespace: string;
  readonly metricsPortName: string;
  readonly prometheusMetrics: readonly string[];
}

/**
 * The `amazon-cloudwatch-observability` add-on's `agents` entry of the Prometheus scraper (the
 * chart's agent schema: aws-observability/helm-charts, charts/amazon-cloudwatch-observability/
 * values.yaml `agent:`): a Deployment on the pod network with its own Prometheus scrape config
 * and the CloudWatch agent config that turns the kept metrics into embedded-metric-format logs.
 */
export function prometheusScraperAgent(s: ScraperAgentSettings): Record<string, unknown> {
  const interval = s.scrapeInterval.toSeconds();
  const timeout = Math.min(interval, MAX_SCRAPE_TIMEOUT.toSeconds());
  const common = [
    { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'Namespace' },
    { source_labels: [APP_LABEL_META], target_label: 'App' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod_name' },
  ];
  const notAnnotated = {
    source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
    regex: 'true|false',
    action: 'drop',
  };
  const path = {
    source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
    regex: '(.+)',
    target_label: '__metrics_path__',
  };
  const statusClass = {
    source_labels: ['status_code'],
    regex: '([1-5])\\d\\d',
    target_label: 'status_class',
    replacement: '${1}xx',
  };
  const declaration = (dimensions: string[], metrics: readonly string[]) => ({
    source_labels: ['job'],
    label_matcher: `^(${SCRAPE_JOBS.portName}|${SCRAPE_JOBS.annotated})$`,
    dimensions: [['ClusterName', 'Namespace', 'App', ...dimensions]],
    metric_selectors: metrics.map((m) => `^${m}$`),
  });
  const declarations = [declaration([], s.prometheusMetrics)];
  if (s.prometheusMetrics.includes(REQUEST_COUNTER)) {
    declarations.push(declaration(['status_class'], [REQUEST_COUNTER]));
  }
  return {
    name: PROMETHEUS_SCRAPER_AGENT,
    mode: 'deployment',
    replicas: PROMETHEUS_SCRAPER_REPLICAS,
    // a pod address, so the workloads' NetworkPolicy can admit this namespace
    hostNetwork: false,
    config: {
      // set, not discovered: pods get no IMDS (hop limit 1), and the chart passes this as is
      agent: { region: s.region },
      logs: {
        metrics_collected: {
          prometheus: {
            cluster_name: s.clusterName,
            log_group_name: `/aws/containerinsights/${s.clusterName}/prometheus`,
            emf_processor: {
              metric_namespace: s.metricNamespace,
              metric_declaration: declarations,
            },
          },
        },
      },
    },
    prometheus: {
      config: {
        global: { scrape_interval: `${interval}s`, scrape_timeout: `${timeout}s` },
        scrape_configs: [
          {
            job_name: SCRAPE_JOBS.portName,
            kubernetes_sd_configs: [{ role: 'pod' }],
            relabel_configs: [
              {
                source_labels: ['__meta_kubernetes_pod_container_port_name'],
                regex: s.metricsPortName,
                action: 'keep',
              },
              // annotated pods are the other job's (`false` opts out of both)
              notAnnotated,
              path,
              ...common,
            ],
            metric_relabel_configs: [statusClass],
          },
          {
            job_name: SCRAPE_JOBS.annotated,
            kubernetes_sd_configs: [{ role: 'pod' }],
            relabel_configs: [
              {
                source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
                regex: 'true',
                action: 'keep',
              },
              path,
              {
                source_labels: [
                  '__address__',
                  '__meta_kubernetes_pod_annotation_prometheus_io_port',
                ],
                regex: '([^:]+)(?::\\d+)?;(\\d+)',
                replacement: '$1:$2',
                target_label: '__address__',
              },
              ...common,
            ],
            metric_relabel_configs: [statusClass],
          },
        ],
      },
    },
  };
}
