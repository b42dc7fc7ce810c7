import { ServiceMetric } from '@stayup/contract';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { HaDeployment } from './ha-deployment.js';
import { DEFAULT_MIN_REPLICAS } from './ha-horizontal-pod-autoscaler.js';

/** The request-duration histogram the stayup API exports (seconds, with `status_code`). */
export const DEFAULT_DURATION_METRIC = ServiceMetric.requestDuration;
/** 5xx ratio above which the service counts as failing: 1 %, a 99 % availability objective. */
export const DEFAULT_MAX_ERROR_RATIO = 0.01;
/** p99 latency above which the service counts as slow: 0.5 s for an API whose p99 is ~2 ms. */
export const DEFAULT_MAX_P99_SECONDS = 0.5;
/** Labels the kube-prometheus-stack chart's default `ruleSelector` matches (its release name). */
export const DEFAULT_RULE_LABELS: Readonly<Record<string, string>> = { release: 'prometheus' };
/**
 * How long each condition must hold before the alert fires: errors page after 5 minutes, slow
 * responses and missing replicas warn after 10 (a rollout or a scale-up passes through both).
 */
export const DEFAULT_ALERT_FOR = { errors: '5m', latency: '10m', replicas: '10m' } as const;

/** Options of {@link ApiAlertRules}. */
export interface ApiAlertRulesProps {
  /** The Deployment the alerts watch. */
  readonly deployment: HaDeployment;
  /**
   * Histogram of request durations, in seconds, with a `status_code` label.
   * @default 'http_request_duration_seconds'
   */
  readonly durationMetric?: string;
  /** Ratio of 5xx responses above which the service is unavailable. @default 0.01 */
  readonly maxErrorRatio?: number;
  /** p99 latency above which the service is slow, in seconds. @default 0.5 */
  readonly maxP99Seconds?: number;
  /** Available replicas below which capacity is at risk. @default 2 (DEFAULT_MIN_REPLICAS) */
  readonly minAvailableReplicas?: number;
  /** Labels the Prometheus Operator's ruleSelector matches. @default { release: 'prometheus' } */
  readonly ruleLabels?: Record<string, string>;
}

/**
 * Availability and latency alerts for an HTTP API, as a `monitoring.coreos.com/v1`
 * PrometheusRule (a plain custom resource: no operator library needed to synthesize it).
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
export class ApiAlertRules extends Construct {
  /** The PrometheusRule. */
  readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ApiAlertRulesProps) {
    super(scope, id);
    const { deployment } = props;
    const metric = props.durationMetric ?? DEFAULT_DURATION_METRIC;
    const maxErrorRatio = props.maxErrorRatio ?? DEFAULT_MAX_ERROR_RATIO;
    const maxP99 = props.maxP99Seconds ?? DEFAULT_MAX_P99_SECONDS;
    if (!(maxErrorRatio > 0 && maxErrorRatio < 1)) {
      throw new Error(
        `'alerts.maxErrorRatio' (${maxErrorRatio}) must be between 0 and 1: e.g. 0.01 for 1 %`,
      );
    }
    if (!(maxP99 > 0)) {
      throw new Error(`'alerts.maxP99Seconds' (${maxP99}) must be positive: e.g. 0.5`);
    }
    const namespace = deployment.namespace;
    const sel = `namespace="${namespace ?? ''}",pod=~"${deployment.name}-.*"`;
    const name = deployment.name;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: `${name}-alerts`,
        namespace,
        labels: { ...deployment.labels, ...(props.ruleLabels ?? DEFAULT_RULE_LABELS) },
      },
      spec: {
        groups: [
          {
            name: `${name}.availability`,
            rules: [
              {
                alert: 'ApiHighErrorRatio',
                expr:
                  `sum(rate(${metric}_count{${sel},status_code=~"5.."}[5m])) / ` +
                  `sum(rate(${metric}_count{${sel}}[5m])) > ${maxErrorRatio}`,
                for: DEFAULT_ALERT_FOR.errors,
                labels: { severity: 'critical' },
                annotations: {
                  summary: `${name}: more than ${maxErrorRatio * 100} % of requests fail with 5xx`,
                },
              },
              {
                alert: 'ApiReplicasUnavailable',
                expr:
                  `kube_deployment_status_replicas_available{namespace="${namespace ?? ''}",` +
                  `deployment="${name}"} < ${props.minAvailableReplicas ?? DEFAULT_MIN_REPLICAS}`,
                for: DEFAULT_ALERT_FOR.replicas,
                labels: { severity: 'warning' },
                annotations: { summary: `${name}: fewer available replicas than the HA minimum` },
              },
            ],
          },
          {
            name: `${name}.latency`,
            rules: [
              {
                alert: 'ApiHighLatencyP99',
                expr: `histogram_quantile(0.99, sum by (le) (rate(${metric}_bucket{${sel}}[5m]))) > ${maxP99}`,
                for: DEFAULT_ALERT_FOR.latency,
                labels: { severity: 'warning' },
                annotations: { summary: `${name}: p99 latency above ${maxP99} s` },
              },
            ],
          },
        ],
      },
    });
  }
}
