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
  /**
   * Image repository (registry/name) outside AWS, e.g. an image loaded into kind. AWS
   * environments leave it unset: each cluster pulls from the environment account's ECR in its
   * own region (`apiImageRepository`), replicated there by the delivery stack, so no region
   * depends on another at run time. CI passes the tag.
   * @default the environment account's `stayup-api` repository in the cluster's region
   */
  readonly imageRepository?: string;
  /**
   * When the kubelet pulls the image. AWS environments pull from their own ECR repositories,
   * whose tags are immutable (the delivery stack), so a cached image is the right one.
   * @default 'IfNotPresent' with the environment's ECR repository (immutable tags); else
   * @stayup/k8s-ha's default ('Always' for a tag)
   */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
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
  /**
   * Emit the API's PrometheusRule alerts. Only where `monitoring.prometheusOperator` declares
   * that the same deploy installs the Prometheus Operator's CRDs first (validated): without the
   * CRD the kubectl handler fails the deploy on "no matches for kind".
   */
  readonly alerts: boolean;
}

/** A region the environment runs a cluster in. */
export interface RegionConfig {
  readonly region: string;
  /** Availability zones, explicitly (no lookups at synth); `zones` of them. */
  readonly availabilityZones: readonly string[];
  /**
   * This region's VPC range; the NetworkPolicy admits the load balancer from it. The regions of
   * an environment must not overlap, so they can be peered or share a transit gateway later.
   */
  readonly vpcCidr: string;
}

/** The AWS side of an environment (absent for `local`). */
export interface AwsConfig {
  /** The environment's own AWS account. */
  readonly account: string;
  /** The primary region. */
  readonly primary: RegionConfig;
  /** More regions with a cluster of their own (live, for regional redundancy). @default [] */
  readonly extraRegions?: readonly RegionConfig[];
  /**
   * The Route 53 public hosted zone of `api.hosts`, in this account (created once by hand and
   * delegated; see the README's one-time steps): each region's stack writes the certificate's
   * validation records and the hosts' records into it. Looked up by id, never at synth.
   */
  readonly dnsZone: { readonly name: string; readonly id?: string };
  /** One NAT gateway per zone (live) or one in all (a cost choice). */
  readonly natGateways: 'per-zone' | 'single';
  /** IAM principals with cluster-admin (access entries). */
  readonly adminPrincipalArns: readonly string[];
  /** CIDRs allowed to the public API endpoint; none: private only. */
  readonly publicEndpointCidrs: readonly string[];
  /**
   * EKS Auto Mode capacity of the workloads: the architectures the nodes may run (the deploy
   * builds the image for each), on-demand or spot, and the pool's vCPU ceiling.
   */
  readonly capacity: {
    readonly architectures: readonly ('arm64' | 'amd64')[];
    readonly capacityTypes: readonly ('on-demand' | 'spot')[];
    readonly maxVcpus: number;
  };
}

/** A monitoring stack that the environment's own deploy installs before the API. */
export interface MonitoringConfig {
  /**
   * The cluster stack installs the Prometheus Operator's CRDs (`monitoring.coreos.com`, e.g. the
   * kube-prometheus-stack chart) before the API's release, so PrometheusRule and ServiceMonitor
   * objects are served. Declaring it without installing it is caught by the deploy-readiness
   * check (api-served).
   */
  readonly prometheusOperator: boolean;
}

/** Everything that differs between environments: the one source of truth. */
export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** The AWS account, regions and cluster; none for `local`. */
  readonly aws?: AwsConfig;
  /** Kubernetes namespace of the API. */
  readonly namespace: string;
  /** Zones the nodes span (AWS: the VPC's AZ count). */
  readonly zones: number;
  readonly tags: EnvironmentTags;
  readonly api: ApiDeploymentConfig;
  /** The monitoring stack the deploy installs. @default none (no PrometheusRule, no ServiceMonitor) */
  readonly monitoring?: MonitoringConfig;
}
