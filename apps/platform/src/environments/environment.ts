/** Names of the deployment environments; `local` is a kind/minikube cluster without AWS. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'live', 'local'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Tags on every AWS resource and label set, for cost and ownership. */
export interface EnvironmentTags {
  readonly project: string;
  readonly owner: string;
  readonly costCentre: string;
}

/** The API as deployed in one environment. */
export interface ApiDeploymentConfig {
  /** Image repository (ECR URI or registry/name). CI passes the tag. */
  readonly imageRepository: string;
  /** Image tag (a version or git SHA, never `latest`). */
  readonly imageTag: string;
  /** Replica range; `max` > `min`; `min` ≥ 2 except where `allowSingleReplica`. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Development only: allow `replicas.min` 1. */
  readonly allowSingleReplica?: boolean;
  /** Resource preset. */
  readonly size: 'small' | 'medium' | 'large';
  /** Seconds to keep serving after SIGTERM (ALB deregistration). */
  readonly drainDelaySeconds: number;
  /** Seconds then allowed for in-flight requests. */
  readonly drainTimeoutSeconds: number;
  /** LOG_LEVEL of the API. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Public host names behind the ALB; none for `local`. */
  readonly hosts: readonly string[];
  /** ACM certificate ARNs; empty: discovered from the hosts. */
  readonly certificateArns?: readonly string[];
  /** Emit PrometheusRule alerts (needs the Prometheus Operator CRDs). */
  readonly alerts: boolean;
}

/** Everything that differs between environments: the one source of truth. */
export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Kubernetes namespace of the API. */
  readonly namespace: string;
  /** Zones the nodes span (AWS: the VPC's AZ count). */
  readonly zones: number;
  readonly tags: EnvironmentTags;
  readonly api: ApiDeploymentConfig;
}
