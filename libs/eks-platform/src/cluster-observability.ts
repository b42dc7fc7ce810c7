import { ServiceMetric } from '@stayup/contract';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  checkCloudWatchAddonVersion,
  DEFAULT_CLOUDWATCH_ADDON_VERSION,
} from './cloudwatch-addon-version.js';
import { prometheusScraperAgent, REQUEST_COUNTER } from './prometheus-scraper-agent.js';

/** The EKS add-on: the CloudWatch agent operator, Container Insights and Fluent Bit. */
export const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/** Where the add-on installs its agents (fixed by the add-on). */
export const CLOUDWATCH_AGENT_NAMESPACE = 'amazon-cloudwatch';
/** The agents' service account, the one the add-on's Pod Identity association names. */
export const CLOUDWATCH_AGENT_SERVICE_ACCOUNT = 'cloudwatch-agent';
/** The AWS managed policy the add-on documents for its agents. */
export const CLOUDWATCH_AGENT_POLICY = 'CloudWatchAgentServerPolicy';
/** The add-on's own agents, as its chart lists them: kept, since `agents` replaces the list. */
export const ADDON_DEFAULT_AGENTS: readonly Record<string, unknown>[] = [
  { name: 'cloudwatch-agent' },
  { name: 'cloudwatch-agent-cluster-scraper', mode: 'deployment', config: 'default' },
];
/** How often pods are scraped: the agent's documented default. */
export const DEFAULT_SCRAPE_INTERVAL = Duration.minutes(1);
/** The CloudWatch namespace the agent puts Prometheus metrics in on Kubernetes by default. */
export const DEFAULT_PROMETHEUS_METRIC_NAMESPACE = 'ContainerInsights/Prometheus';
/** Container Insights' own namespace (pod, service and workload metrics). */
export const CONTAINER_INSIGHTS_NAMESPACE = 'ContainerInsights';
/** The container port name scraped without any annotation (the stayup contract's `metrics`). */
export const DEFAULT_METRICS_PORT_NAME = 'metrics';
/** The gauge of a workload's recent p99 latency (the API's: the last minute's requests). */
export const LATENCY_P99_METRIC = ServiceMetric.latencyP99;
/**
 * The Prometheus metrics sent to CloudWatch: counters, gauges and summaries only. The agent drops
 * histograms (`http_request_duration_seconds`): request counts need a counter
 * (`http_requests_total`) and latency quantiles a gauge or summary (`…_p99_seconds`).
 */
export const DEFAULT_PROMETHEUS_METRICS: readonly string[] = [
  ServiceMetric.requests,
  ServiceMetric.latencyP99,
  ServiceMetric.inFlight,
  ServiceMetric.shed,
  ServiceMetric.rejected,
  ServiceMetric.logLinesDropped,
  'nodejs_eventloop_lag_p99_seconds',
];
/** The period alarms evaluate over: five one-minute scrapes. */
export const DEFAULT_ALARM_PERIOD = Duration.minutes(5);
/** Consecutive periods in breach before an alarm fires. */
export const DEFAULT_EVALUATION_PERIODS = 2;
/** p99 latency above which the latency alarm fires (the k8s-ha PrometheusRule's 0.5 s). */
export const DEFAULT_LATENCY_THRESHOLD = Duration.millis(500);
/** Share of requests answered 5xx above which the error alarm fires. */
export const DEFAULT_ERROR_RATIO_THRESHOLD = 0.01;

/** Options of {@link ClusterObservability}. */
export interface ClusterObservabilityProps {
  readonly cluster: eks.Cluster;
  /** From MIN_CLOUDWATCH_ADDON_VERSION (v6.2.0) on. @default DEFAULT_CLOUDWATCH_ADDON_VERSION */
  readonly addonVersion?: string;
  /** @default Duration.minutes(1) */
  readonly scrapeInterval?: Duration;
  /** @default 'ContainerInsights/Prometheus' */
  readonly metricNamespace?: string;
  /** Container port name scraped on every pod. @default 'metrics' */
  readonly metricsPortName?: string;
  /** Prometheus metric names sent to CloudWatch as metrics. @default DEFAULT_PROMETHEUS_METRICS */
  readonly prometheusMetrics?: readonly string[];
}

/** Which workload's Prometheus metrics: the dimensions the scraper adds. */
export interface WorkloadRef {
  /** Kubernetes namespace of the pods. */
  readonly namespace: string;
  /** The pods' `app.kubernetes.io/name` label. */
  readonly app: string;
}

/** Options shared by the alarm helpers. */
export interface AlarmOptions {
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  /** @default 2 */
  readonly evaluationPeriods?: number;
  /** @default - generated */
  readonly alarmName?: string;
}

/**
 * Container Insights, container logs and Prometheus metrics in CloudWatch, with no CRD to install
 * first: the `amazon-cloudwatch-observability` add-on, its agents authorized through EKS Pod
 * Identity (the add-on's own association, so the service account never exists without it), and
 * one more agent of the same add-on that scrapes the pods' metrics ports.
 *
 * Why that agent, rather than the add-on's DaemonSet agent or the `cwagent-prometheus` manifests:
 * the DaemonSet agent runs with `hostNetwork: true` (scrapes come from the node's address, which
 * a NetworkPolicy admitting a namespace cannot match); the manifests are applied by hand. The
 * add-on's `agents` list takes a Deployment-mode agent (`hostNetwork: false`, add-on v6.2.0+)
 * with its own Prometheus config: same deploy, in {@link scraperNamespace}, on a pod address.
 * Pods are scraped when a container port is named {@link metricsPortName} (at `/metrics`, or
 * the `prometheus.io/path` annotation), or when annotated `prometheus.io/scrape: "true"` (then at
 * `prometheus.io/port`); `prometheus.io/scrape: "false"` opts a pod out.
 * Its metrics go as embedded-metric-format logs to `/aws/containerinsights/<cluster>/prometheus`,
 * which CloudWatch turns into metrics in {@link metricNamespace}.
 */
export class ClusterObservability extends Construct {
  readonly addon: eks.Addon;
  /** The agents' role, assumed through EKS Pod Identity. */
  readonly agentRole: iam.Role;
  /** The namespace the scraper runs in: the one the workloads' NetworkPolicy must admit. */
  readonly scraperNamespace = CLOUDWATCH_AGENT_NAMESPACE;
  readonly scrapeInterval: Duration;
  readonly metricNamespace: string;
  readonly metricsPortName: string;
  readonly prometheusMetrics: readonly string[];
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: ClusterObservabilityProps) {
    super(scope, id);
    this.scrapeInterval = props.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL;
    const seconds = this.scrapeInterval.toSeconds();
    if (!Number.isInteger(seconds) || seconds < 10 || seconds > 300) {
      throw new Error(
        `'scrapeInterval' (${seconds}s) must be whole seconds from 10 to 300: counters become ` +
          `per-scrape deltas, so keep it at or below the alarm period (e.g. Duration.minutes(1))`,
      );
    }
    this.metricNamespace = props.metricNamespace ?? DEFAULT_PROMETHEUS_METRIC_NAMESPACE;
    this.metricsPortName = props.metricsPortName ?? DEFAULT_METRICS_PORT_NAME;
    if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(this.metricsPortName)) {
      throw new Error(
        `'metricsPortName' (${this.metricsPortName}) must be a Kubernetes port name (at most 15 ` +
          `lowercase letters, digits and '-'): the name of the container port serving /metrics`,
      );
    }
    this.prometheusMetrics = props.prometheusMetrics ?? DEFAULT_PROMETHEUS_METRICS;
    for (const name of this.prometheusMetrics) {
      if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name) || /_bucket$/.test(name)) {
        throw new Error(
          `'prometheusMetrics' (${name}) must be a Prometheus metric name that is not a histogram ` +
            `bucket: the agent drops histograms; export a counter or a summary instead`,
        );
      }
    }
    this.clusterName = props.cluster.clusterName;

    this.agentRole = new iam.Role(this, 'AgentRole', {
      description: `CloudWatch agents of ${CLOUDWATCH_OBSERVABILITY_ADDON} (EKS Pod Identity)`,
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(CLOUDWATCH_AGENT_POLICY)],
    });
    this.addon = new eks.Addon(this, 'Resource', {
      cluster: props.cluster,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      addonVersion: checkCloudWatchAddonVersion(
        props.addonVersion ?? DEFAULT_CLOUDWATCH_ADDON_VERSION,
      ),
      configurationValues: {
        agents: [
          ...ADDON_DEFAULT_AGENTS,
          prometheusScraperAgent({
            region: Stack.of(this).region,
            clusterName: this.clusterName,
            scrapeInterval: this.scrapeInterval,
            metricNamespace: this.metricNamespace,
            metricsPortName: this.metricsPortName,
            prometheusMetrics: this.prometheusMetrics,
          }),
        ],
      },
    });
    const cfn = this.addon.node.defaultChild as eks.CfnAddon;
    // take existing objects over instead of failing (API_CreateAddon.html, resolveConflicts)
    cfn.resolveConflicts = 'OVERWRITE';
    cfn.podIdentityAssociations = [
      { serviceAccount: CLOUDWATCH_AGENT_SERVICE_ACCOUNT, roleArn: this.agentRole.roleArn },
    ];
  }

  /** A Prometheus metric of one workload, as the scraper sends it to CloudWatch. */
  metric(
    metricName: string,
    workload: WorkloadRef,
    options: { statistic?: string; period?: Duration; statusClass?: string } = {},
  ): cloudwatch.Metric {
    if (!this.prometheusMetrics.includes(metricName)) {
      throw new Error(
        `'metricName' (${metricName}) must be one of 'prometheusMetrics' (${this.prometheusMetrics.join(', ')}): ` +
          `only those reach CloudWatch; add it there`,
      );
    }
    return new cloudwatch.Metric({
      namespace: this.metricNamespace,
      metricName,
      dimensionsMap: {
        ClusterName: this.clusterName,
        Namespace: workload.namespace,
        App: workload.app,
        ...(options.statusClass ? { status_class: options.statusClass } : {}),
      },
      statistic: options.statistic ?? cloudwatch.Stats.SUM,
      period: options.period ?? DEFAULT_ALARM_PERIOD,
    });
  }

  /** Fires when more than `threshold` of a workload's requests are answered 5xx. */
  addErrorRatioAlarm(
    id: string,
    workload: WorkloadRef,
    options: AlarmOptions & { threshold?: number } = {},
  ): cloudwatch.Alarm {
    const threshold = options.threshold ?? DEFAULT_ERROR_RATIO_THRESHOLD;
    if (!(threshold > 0 && threshold < 1)) {
      throw new Error(
        `'threshold' (${threshold}) must be a ratio between 0 and 1: e.g. 0.01 for 1 % of requests`,
      );
    }
    const period = options.period ?? DEFAULT_ALARM_PERIOD;
    const ratio = new cloudwatch.MathExpression({
      label: `${workload.app} 5xx ratio`,
      expression: 'IF(total > 0, FILL(errors, 0) / total, 0)',
      usingMetrics: {
        total: this.metric(REQUEST_COUNTER, workload, { period }),
        errors: this.metric(REQUEST_COUNTER, workload, { period, statusClass: '5xx' }),
      },
      period,
    });
    return ratio.createAlarm(this, id, {
      alarmName: options.alarmName,
      alarmDescription: `More than ${threshold * 100} % of ${workload.namespace}/${workload.app}'s requests answered 5xx`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: this.evaluationPeriods(options),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Fires when the slowest pod's p99 latency (the `Maximum` of {@link LATENCY_P99_METRIC}, a
   * gauge: the agent drops histograms) stays above `threshold`.
   */
  addLatencyAlarm(
    id: string,
    workload: WorkloadRef,
    options: AlarmOptions & { threshold?: Duration } = {},
  ): cloudwatch.Alarm {
    const threshold = (options.threshold ?? DEFAULT_LATENCY_THRESHOLD).toMilliseconds() / 1000;
    if (!(threshold > 0)) {
      throw new Error(`'threshold' (${threshold}s) must be positive: e.g. Duration.millis(500)`);
    }
    const p99 = this.metric(LATENCY_P99_METRIC, workload, {
      statistic: cloudwatch.Stats.MAXIMUM,
      period: options.period,
    });
    return p99.createAlarm(this, id, {
      alarmName: options.alarmName,
      alarmDescription: `${workload.namespace}/${workload.app}'s p99 latency is above ${threshold} s`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: this.evaluationPeriods(options),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** Fires when a workload sheds load (answers 503 past its in-flight or event-loop bounds). */
  addLoadSheddingAlarm(id: string, workload: WorkloadRef, options: AlarmOptions = {}) {
    const shed = this.metric(ServiceMetric.shed, workload, { period: options.period });
    return shed.createAlarm(this, id, {
      alarmName: options.alarmName,
      alarmDescription: `${workload.namespace}/${workload.app} is shedding requests`,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: this.evaluationPeriods(options),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /**
   * Fires when a Deployment has fewer available replicas than `minimum`, from Container Insights'
   * `status_replicas_available` (enhanced observability, the add-on's default), whose `PodName`
   * dimension is the workload's name. No data (no pods, or no agent) counts as a breach.
   */
  addAvailableReplicasAlarm(
    id: string,
    workload: { namespace: string; deployment: string; minimum: number },
    options: AlarmOptions = {},
  ): cloudwatch.Alarm {
    if (!Number.isInteger(workload.minimum) || workload.minimum < 1) {
      throw new Error(
        `'minimum' (${workload.minimum}) must be a whole number of replicas of at least 1: ` +
          `e.g. the PodDisruptionBudget's minAvailable`,
      );
    }
    const metric = new cloudwatch.Metric({
      namespace: CONTAINER_INSIGHTS_NAMESPACE,
      metricName: 'status_replicas_available',
      dimensionsMap: {
        ClusterName: this.clusterName,
        Namespace: workload.namespace,
        PodName: workload.deployment,
      },
      statistic: cloudwatch.Stats.MINIMUM,
      period: options.period ?? DEFAULT_ALARM_PERIOD,
    });
    return metric.createAlarm(this, id, {
      alarmName: options.alarmName,
      alarmDescription: `${workload.namespace}/${workload.deployment} has fewer than ${workload.minimum} available replicas`,
      threshold: workload.minimum,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: this.evaluationPeriods(options),
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
  private evaluationPeriods(options: AlarmOptions): number {
    const n = options.evaluationPeriods ?? DEFAULT_EVALUATION_PERIODS;
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`'evaluationPeriods' (${n}) must be a whole number of at least 1: e.g. 2`);
    }
    return n;
  }
}
