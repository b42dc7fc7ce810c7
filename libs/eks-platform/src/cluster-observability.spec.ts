import { beforeAll, describe, expect, it } from '@jest/globals';
import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  ClusterObservability,
  type ClusterObservabilityProps,
  DEFAULT_ALARM_PERIOD,
  DEFAULT_ERROR_RATIO_THRESHOLD,
  DEFAULT_EVALUATION_PERIODS,
  DEFAULT_LATENCY_THRESHOLD,
  DEFAULT_METRICS_PORT_NAME,
  DEFAULT_PROMETHEUS_METRIC_NAMESPACE,
  DEFAULT_PROMETHEUS_METRICS,
  DEFAULT_SCRAPE_INTERVAL,
} from './cluster-observability.js';
import { SCRAPE_JOBS } from './prometheus-scraper-agent.js';
import {
  DEFAULT_CLOUDWATCH_ADDON_VERSION,
  MIN_CLOUDWATCH_ADDON_VERSION,
} from './cloudwatch-addon-version.js';
import { build, flatten } from './private/testing.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation resources are plain JSON */

/*
 * Upstream behaviour these tests rely on (read at the commits named):
 * - Add-on name, namespace `amazon-cloudwatch`, service account `cloudwatch-agent`, policy
 *   CloudWatchAgentServerPolicy, Pod Identity from add-on 3.1.0 (`--pod-identity-associations
 *   serviceAccount=cloudwatch-agent,roleArn=…`):
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-setup-EKS-addon.html
 *   https://docs.aws.amazon.com/eks/latest/userguide/amazon-cloudwatch-observability.html
 * - The add-on's `agents` list (each entry merged over `agent`, so `mode`, `replicas`,
 *   `hostNetwork`, `config`, `prometheus.config` per agent; the default list is `cloudwatch-agent`
 *   and `cloudwatch-agent-cluster-scraper`), the DaemonSet agent's `hostNetwork: true`, the agents'
 *   service account: aws-observability/helm-charts@71a298ff,
 *   charts/amazon-cloudwatch-observability/values.yaml (`agents:`, `agent.hostNetwork`) and
 *   templates/linux/cloudwatch-agent-custom-resource.yaml (`range .Values.agents`,
 *   `mergeOverwrite`, `prometheus: config:`); a user `config` is passed as is unless it holds
 *   `application_signals`/`kubernetes` (templates/_helpers.tpl, "cloudwatch-agent.modify-config").
 *   A Deployment-mode agent with a `prometheus` scrape config is the chart's own integration
 *   scenario (integration-tests/…/scenarios/appsignals-disabled-multi-agents/values.yaml).
 * - The operator writes `spec.prometheus.config` to /etc/prometheusconfig/prometheus.yaml and
 *   points `logs.metrics_collected.prometheus.prometheus_config_path` at it:
 *   aws/amazon-cloudwatch-agent-operator@a8d766c3, internal/manifests/collector/config_replace.go
 *   (ReplaceConfig), configmap.go, container.go (getPrometheusVolumeMounts).
 * - The agent's Prometheus pipeline keeps gauges, counters (sent as per-scrape deltas) and
 *   summaries, and drops histograms; it adds `ClusterName`; the default namespace is
 *   ContainerInsights/Prometheus: aws/amazon-cloudwatch-agent@ab55b8da,
 *   plugins/inputs/prometheus/metrics_filter.go (Filter), metrics_type_handler.go (Handle),
 *   metrics_handler.go (setEmfMetadata), translator/translate/otel/exporter/awsemf/prometheus.go
 *   (k8sDefaultCloudWatchNamespace);
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-metrics-conversion.html
 * - Container Insights (enhanced) emits `status_replicas_available` with dimensions
 *   ClusterName/Namespace/PodName in namespace ContainerInsights: aws/amazon-cloudwatch-agent@ab55b8da,
 *   translator/tocwconfig/sampleConfig/emf_and_kubernetes_config.yaml (metric_declarations).
 * - A NetworkPolicy cannot tell a hostNetwork pod from its node (namespaceSelector does not match
 *   it): https://kubernetes.io/docs/concepts/services-networking/network-policies/ ("hostNetwork pods").
 * - resolveConflicts OVERWRITE: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html
 */

function setUp(props: Partial<ClusterObservabilityProps> = {}) {
  const { stack, construct } = build({ observability: false });
  const observability = new ClusterObservability(stack, 'Observability', {
    cluster: construct.cluster,
    ...props,
  });
  return { stack, observability };
}

describe('ClusterObservability', () => {
  let stack: Stack;
  let observability: ClusterObservability;
  let template: Template;
  let values: any;
  let scraper: any;
  beforeAll(() => {
    ({ stack, observability } = setUp());
    const workload = { namespace: 'stayup', app: 'api' };
    observability.addErrorRatioAlarm('Errors', workload);
    observability.addLoadSheddingAlarm('Shedding', workload);
    observability.addLatencyAlarm('Latency', workload);
    observability.addAvailableReplicasAlarm('Replicas', {
      namespace: 'stayup',
      deployment: 'api',
      minimum: 2,
    });
    template = Template.fromStack(stack);
    const addon = Object.values(template.findResources('AWS::EKS::Addon')).find(
      (a: any) => a.Properties.AddonName === 'amazon-cloudwatch-observability',
    ) as any;
    values = JSON.parse(flatten(addon.Properties.ConfigurationValues));
    scraper = values.agents.find((a: any) => a.name === 'cloudwatch-agent-prometheus');
  });

  it('installs the add-on over existing objects, its agents on Pod Identity with CloudWatchAgentServerPolicy', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      ResolveConflicts: 'OVERWRITE',
      PodIdentityAssociations: [
        {
          ServiceAccount: 'cloudwatch-agent',
          RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Principal: { Service: 'pods.eks.amazonaws.com' },
          }),
        ],
      },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/CloudWatchAgentServerPolicy'])] },
      ],
    });
  });

  it('keeps the add-on’s own agents and adds one scraper Deployment on a pod address in amazon-cloudwatch', () => {
    expect(values.agents.slice(0, 2)).toEqual([
      { name: 'cloudwatch-agent' },
      { name: 'cloudwatch-agent-cluster-scraper', mode: 'deployment', config: 'default' },
    ]);
    expect(scraper).toMatchObject({ mode: 'deployment', replicas: 1, hostNetwork: false });
    // the namespace the API's NetworkPolicy must admit (k8s-ha `monitoringNamespace`)
    expect(observability.scraperNamespace).toBe('amazon-cloudwatch');
  });

  it('sends the scraped metrics as EMF with the region and cluster set, not discovered', () => {
    const prometheus = scraper.config.logs.metrics_collected.prometheus;
    expect(scraper.config.agent).toEqual({ region: 'eu-west-1' });
    expect(prometheus.cluster_name).toMatch(/^\$\{PlatformCluster/);
    expect(prometheus.log_group_name).toBe(
      `/aws/containerinsights/${prometheus.cluster_name}/prometheus`,
    );
    expect(prometheus.emf_processor.metric_namespace).toBe('ContainerInsights/Prometheus');
    expect(prometheus.emf_processor.metric_declaration).toEqual([
      {
        source_labels: ['job'],
        label_matcher: '^(pods-by-port-name|pods-annotated)$',
        dimensions: [['ClusterName', 'Namespace', 'App']],
        metric_selectors: DEFAULT_PROMETHEUS_METRICS.map((m) => `^${m}$`),
      },
      {
        source_labels: ['job'],
        label_matcher: '^(pods-by-port-name|pods-annotated)$',
        dimensions: [['ClusterName', 'Namespace', 'App', 'status_class']],
        metric_selectors: ['^http_requests_total$'],
      },
    ]);
  });

  it('scrapes every running pod’s port named metrics, and pods annotated prometheus.io/scrape, each once', () => {
    const { global, scrape_configs: jobs } = scraper.prometheus.config;
    expect(global).toEqual({ scrape_interval: '60s', scrape_timeout: '10s' });
    expect(jobs.map((j: any) => j.job_name)).toEqual([SCRAPE_JOBS.portName, SCRAPE_JOBS.annotated]);
    const [byPort, annotated] = jobs;
    expect(byPort.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(byPort.relabel_configs.slice(0, 2)).toEqual([
      {
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: 'metrics',
        action: 'keep',
      },
      {
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
        regex: 'true|false',
        action: 'drop',
      },
    ]);
    expect(annotated.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      regex: 'true',
      action: 'keep',
    });
    for (const job of jobs) {
      expect(job.relabel_configs).toEqual(
        expect.arrayContaining([
          { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'Namespace' },
          {
            source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
            target_label: 'App',
          },
        ]),
      );
      expect(job.metric_relabel_configs).toEqual([
        {
          source_labels: ['status_code'],
          regex: '([1-5])\\d\\d',
          target_label: 'status_class',
          replacement: '${1}xx',
        },
      ]);
    }
  });

  it('alarms on the 5xx ratio of http_requests_total, on shed requests, on p99 latency and on available replicas', () => {
    const metric = (name: string, extra: Record<string, string> = {}) => ({
      Namespace: 'ContainerInsights/Prometheus',
      MetricName: name,
      Dimensions: Match.arrayWith([
        { Name: 'App', Value: 'api' },
        { Name: 'Namespace', Value: 'stayup' },
        ...Object.entries(extra).map(([Name, Value]) => ({ Name, Value })),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 0.01,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
      // arrayWith matches in order: the expression, then `total`, then `errors`
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(total > 0, FILL(errors, 0) / total, 0)' }),
        Match.objectLike({
          Id: 'total',
          MetricStat: Match.objectLike({ Metric: metric('http_requests_total'), Stat: 'Sum' }),
        }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: metric('http_requests_total', { status_class: '5xx' }),
            Period: 300,
            Stat: 'Sum',
          }),
        }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...metric('http_requests_shed_total'),
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    // the slowest pod's p99 (a gauge per pod: Maximum), above 0.5 s for 2 × 5 min
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...metric('http_request_duration_p99_seconds'),
      Statistic: 'Maximum',
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ContainerInsights',
      MetricName: 'status_replicas_available',
      Dimensions: Match.arrayWith([
        { Name: 'Namespace', Value: 'stayup' },
        { Name: 'PodName', Value: 'api' },
      ]),
      Statistic: 'Minimum',
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  it('documents its defaults as they are', () => {
    expect(observability.scrapeInterval).toBe(DEFAULT_SCRAPE_INTERVAL);
    expect(DEFAULT_SCRAPE_INTERVAL.toSeconds()).toBe(60);
    expect(observability.metricNamespace).toBe(DEFAULT_PROMETHEUS_METRIC_NAMESPACE);
    expect(observability.metricsPortName).toBe(DEFAULT_METRICS_PORT_NAME);
    expect(DEFAULT_METRICS_PORT_NAME).toBe('metrics');
    expect(observability.prometheusMetrics).toBe(DEFAULT_PROMETHEUS_METRICS);
    expect(DEFAULT_ALARM_PERIOD.toMinutes()).toBe(5);
    expect(DEFAULT_EVALUATION_PERIODS).toBe(2);
    expect(DEFAULT_ERROR_RATIO_THRESHOLD).toBe(0.01);
    expect(DEFAULT_LATENCY_THRESHOLD.toMilliseconds()).toBe(500);
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'amazon-cloudwatch-observability',
      AddonVersion: DEFAULT_CLOUDWATCH_ADDON_VERSION,
    });
  });

  it('takes a shorter scrape interval, with a timeout no longer than it, and an add-on version', () => {
    const { stack: s } = setUp({
      scrapeInterval: Duration.seconds(15),
      addonVersion: 'v6.7.0-eksbuild.2',
    });
    const addon = Object.values(Template.fromStack(s).findResources('AWS::EKS::Addon')).find(
      (a: any) => a.Properties.AddonName === 'amazon-cloudwatch-observability',
    ) as any;
    expect(addon.Properties.AddonVersion).toBe('v6.7.0-eksbuild.2');
    const v = JSON.parse(flatten(addon.Properties.ConfigurationValues));
    expect(v.agents[2].prometheus.config.global).toEqual({
      scrape_interval: '15s',
      scrape_timeout: '10s',
    });
  });

  it('refuses what cannot work, saying how to fix it', () => {
    expect(() => setUp({ scrapeInterval: Duration.seconds(5) })).toThrow(
      `'scrapeInterval' (5s) must be whole seconds from 10 to 300: counters become per-scrape deltas, so keep it at or below the alarm period (e.g. Duration.minutes(1))`,
    );
    expect(() => setUp({ metricsPortName: 'Metrics_Port' })).toThrow(
      `'metricsPortName' (Metrics_Port) must be a Kubernetes port name (at most 15 lowercase letters, digits and '-'): the name of the container port serving /metrics`,
    );
    expect(() => setUp({ prometheusMetrics: ['http_request_duration_seconds_bucket'] })).toThrow(
      `'prometheusMetrics' (http_request_duration_seconds_bucket) must be a Prometheus metric name that is not a histogram bucket: the agent drops histograms; export a counter or a summary instead`,
    );
    const w = { namespace: 'stayup', app: 'api' };
    expect(() => observability.metric('http_request_duration_seconds_count', w)).toThrow(
      `'metricName' (http_request_duration_seconds_count) must be one of 'prometheusMetrics' (${DEFAULT_PROMETHEUS_METRICS.join(', ')}): only those reach CloudWatch; add it there`,
    );
    expect(() => observability.addErrorRatioAlarm('Bad', w, { threshold: 5 })).toThrow(
      `'threshold' (5) must be a ratio between 0 and 1: e.g. 0.01 for 1 % of requests`,
    );
    expect(() =>
      observability.addAvailableReplicasAlarm('Bad2', {
        namespace: 'stayup',
        deployment: 'api',
        minimum: 0,
      }),
    ).toThrow(
      `'minimum' (0) must be a whole number of replicas of at least 1: e.g. the PodDisruptionBudget's minAvailable`,
    );
    expect(() => observability.addLoadSheddingAlarm('Bad3', w, { evaluationPeriods: 0 })).toThrow(
      `'evaluationPeriods' (0) must be a whole number of at least 1: e.g. 2`,
    );
  });

  it('refuses an add-on older than v6.2.0, whose agents all run on the node network', () => {
    // aws-observability/helm-charts@ffea3d4 (Release 6.2.0): the AmazonCloudWatchAgent template
    // wrote `hostNetwork: true` for every agent before it; a NetworkPolicy namespace rule cannot
    // match a hostNetwork pod (https://kubernetes.io/docs/concepts/services-networking/network-policies/)
    expect(MIN_CLOUDWATCH_ADDON_VERSION).toBe('v6.2.0-eksbuild.1');
    expect(() => setUp({ addonVersion: 'v6.1.9-eksbuild.3' })).toThrow(
      `'addonVersion' (v6.1.9-eksbuild.3) must be v6.2.0-eksbuild.1 or later: older add-ons run every agent on the node's network, so the Prometheus scraper cannot be admitted by a NetworkPolicy and the pods' metrics are never scraped`,
    );
    expect(() => setUp({ addonVersion: 'latest' })).toThrow(
      `'addonVersion' (latest) must be an EKS add-on version such as '${DEFAULT_CLOUDWATCH_ADDON_VERSION}'`,
    );
    expect(() => setUp({ addonVersion: 'v6.2.0-eksbuild.1' })).not.toThrow();
    expect(() => setUp({ addonVersion: 'v10.0.0-eksbuild.1' })).not.toThrow();
  });
});
