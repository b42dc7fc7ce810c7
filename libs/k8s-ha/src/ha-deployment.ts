import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parseImage } from './container-image.js';
import { DrainTiming, type DrainTimingProps } from './drain-timing.js';
import type { EnvValue } from './env-value.js';
import { containerEnv } from './private/container-env.js';
import { commonLabels, selectorLabels } from './private/labels.js';
import { resolvePullPolicy, withPullPolicyException } from './private/image-pull-policy.js';
import { containerProbes, probeExemptions, resolveProbes } from './private/probes.js';
import { resolveSpread } from './private/spread.js';
import { NO_PROBES_ANNOTATION, type ProbePaths, type WorkloadProbes } from './probes.js';
import {
  DEFAULT_ANTI_AFFINITY_WEIGHT,
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_SKEW,
  DEFAULT_MAX_SURGE,
  DEFAULT_METRICS_PORT,
  DEFAULT_MIN_READY_SECONDS,
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  DEFAULT_REPLICAS,
  DEFAULT_REVISION_HISTORY_LIMIT,
  DEFAULT_RUN_AS_USER,
  type ImagePullPolicy,
} from './ha-deployment-defaults.js';
import { checkDnsLabel, checkInteger, checkLabelValue, checkPort } from './private/validation.js';
import { ResourcePreset } from './resource-preset.js';

/** How pods spread over zones and nodes. */
export interface SpreadProps {
  /**
   * Zones the cluster's nodes span; `minDomains` cannot exceed it.
   * @default 3
   */
  readonly zones?: number;
  /**
   * What the scheduler does when the zone spread cannot be met. `ScheduleAnyway` never leaves a
   * pod Pending (a lost zone must not stop the others from scaling); `DoNotSchedule` makes the
   * spread a hard rule.
   * @default 'ScheduleAnyway'
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/
   */
  readonly whenUnsatisfiable?: 'ScheduleAnyway' | 'DoNotSchedule';
  /**
   * With `DoNotSchedule`: the number of zones that must have a pod before skew counts.
   * @default none
   */
  readonly minDomains?: number;
}

/** Options of {@link HaDeployment}. */
export interface HaDeploymentProps {
  /** Name of the Deployment, its pods' label and its container; a DNS-1123 label. */
  readonly name: string;
  /** Namespace. @default none (the chart's or kubectl's namespace) */
  readonly namespace?: string;
  /** Image, pinned by tag or digest; never `latest`. */
  readonly image: string;
  /**
   * When the kubelet pulls the image. Anything but `Always` is marked on the Deployment as a
   * deliberate exception to kube-score's container-image-pull-policy (`kube-score/ignore`).
   * @default `IfNotPresent` (DEFAULT_PINNED_IMAGE_PULL_POLICY) when the image is pinned by digest
   * or `immutableTags` is set; else `Always` (DEFAULT_IMAGE_PULL_POLICY)
   * @see https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Whether the image's registry refuses to move a tag (ECR `imageTagMutability: IMMUTABLE`): the
   * tag then names one image forever, like a digest.
   * @default false
   */
  readonly immutableTags?: boolean;
  /**
   * Container port for HTTP, passed as `PORT`; `false` for a workload that serves no HTTP (a
   * queue worker), which then needs `probes: { exec }` or `probes: { none }`.
   * @default 8080
   */
  readonly port?: number | false;
  /** Container port for metrics, passed as `METRICS_PORT`; `false` for none. @default 9464 */
  readonly metricsPort?: number | false;
  /**
   * HTTP probe paths, or for a workload without HTTP a command (`{ exec }`) or no probes with the
   * reason (`{ none }`).
   * @default { readiness: '/ready', liveness: '/alive', startup: '/alive' }
   */
  readonly probes?: WorkloadProbes;
  /** Extra environment variables. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Requests and limits. @default ResourcePreset.SMALL */
  readonly resources?: ResourcePreset;
  /** Drain timings; the grace period derives from them. @default new DrainTiming() */
  readonly drain?: DrainTiming | DrainTimingProps;
  /**
   * Replica count, written only when no autoscaler drives the Deployment.
   * @default 2 when `autoscaled` is false; omitted when true
   */
  readonly replicas?: number;
  /** Whether a HorizontalPodAutoscaler owns the replica count. @default false */
  readonly autoscaled?: boolean;
  /** PriorityClass of the pods. @default none */
  readonly priorityClassName?: string;
  /** Spread over zones and nodes. @default 3 zones, ScheduleAnyway */
  readonly spread?: SpreadProps;
  /**
   * Extra pods a rollout may start; `maxUnavailable` is always 0, so this must be ≥ 1.
   * @default '25%' (at least one pod)
   */
  readonly maxSurge?: number | string;
  /** Version label (`app.kubernetes.io/version`). @default the image tag */
  readonly version?: string;
  /**
   * Component label (`app.kubernetes.io/component`), e.g. `'api'`, `'worker'`.
   * @default none (no component label)
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`: the application this workload belongs to.
   * @default the name
   */
  readonly partOf?: string;
  /**
   * Seconds a new pod must stay ready before the rollout counts it available and may stop an old
   * one. Behind EKS Auto Mode's load balancing (no readiness gates) it must cover the ALB's
   * registration of the pod: {@link AlbIngress} refuses less.
   * @default 5
   */
  readonly minReadySeconds?: number;
  /**
   * Extra labels on every object and on the pods (a team, a cost centre). The
   * `app.kubernetes.io/*` labels the construct sets are refused here: they have their own props.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Deployment whose defaults are the HA and security practice: rolling updates that never lose
 * capacity, pods spread over zones with preferred one-per-node, the restricted Pod Security
 * profile, no service-account token, requests and limits, three distinct probes, and a grace
 * period derived from the drain the container is told about.
 */
export class HaDeployment extends Construct {
  /** The Deployment. */
  readonly apiObject: k8s.KubeDeployment;
  /** Name of the Deployment. */
  readonly name: string;
  /** Labels that select the pods. */
  readonly selector: Record<string, string>;
  /** Labels of the Deployment and its pods; the other constructs copy them. */
  readonly labels: Record<string, string>;
  /** Namespace, if set. */
  readonly namespace?: string;
  /** HTTP container port; undefined for a workload without HTTP (`port: false`). */
  readonly port?: number;
  /** Metrics container port, or undefined. */
  readonly metricsPort?: number;
  /** The drain timings. */
  readonly drain: DrainTiming;
  /** The resources. */
  readonly resources: ResourcePreset;
  /** The effective HTTP probe paths; undefined without HTTP probes. */
  readonly probePaths?: Required<Omit<ProbePaths, 'port'>>;
  /** Seconds a new pod stays ready before it counts as available. */
  readonly minReadySeconds: number;
  /** The name of the container port the kubelet probes over HTTP; undefined without HTTP probes. */
  readonly probePort?: 'http' | 'metrics';
  /** The container's effective image pull policy. */
  readonly imagePullPolicy: ImagePullPolicy;

  constructor(scope: Construct, id: string, props: HaDeploymentProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    const image = parseImage('image', props.image);
    this.name = props.name;
    this.imagePullPolicy = resolvePullPolicy(image, props.imagePullPolicy, props.immutableTags);
    if (props.port !== false) {
      this.port = props.port ?? DEFAULT_HTTP_PORT;
      checkPort('port', this.port);
    }
    this.metricsPort = resolveMetricsPort(this.port, props.metricsPort);
    const probes = resolveProbes(props.probes, this.port, this.metricsPort);
    if (probes.kind === 'http') {
      this.probePaths = probes.paths;
      this.probePort = probes.port;
    }
    this.minReadySeconds = props.minReadySeconds ?? DEFAULT_MIN_READY_SECONDS;
    checkInteger(
      'minReadySeconds',
      this.minReadySeconds,
      0,
      3_600,
      'e.g. 5, or 20 behind EKS Auto Mode load balancing',
    );
    this.drain = props.drain instanceof DrainTiming ? props.drain : new DrainTiming(props.drain);
    this.resources = props.resources ?? ResourcePreset.SMALL;
    const spread = resolveSpread(props.spread);
    const maxSurge = props.maxSurge ?? DEFAULT_MAX_SURGE;
    if (maxSurge === 0 || maxSurge === '0%' || maxSurge === '0') {
      throw new Error(
        `'maxSurge' (${maxSurge}) must be at least 1 pod: maxUnavailable is 0 so that a rollout ` +
          `never loses capacity, and a rollout needs room for one new pod`,
      );
    }
    if (props.replicas !== undefined) {
      checkInteger('replicas', props.replicas, 1, 1_000, 'use 2 or more for availability');
      if (props.autoscaled) {
        throw new Error(
          `'replicas' (${props.replicas}) must be unset when 'autoscaled' is true: the ` +
            `HorizontalPodAutoscaler owns the count, and a fixed one resets it at every apply`,
        );
      }
    }
    const env = containerEnv(this.port, this.metricsPort, this.drain, props.env ?? {});
    this.selector = selectorLabels(this.name);
    if (props.component !== undefined) checkLabelValue('component', props.component);
    if (props.partOf !== undefined) checkLabelValue('partOf', props.partOf);
    const labels = commonLabels(this.name, {
      version: props.version ?? image.tag ?? image.digest?.slice(7, 19),
      component: props.component,
      partOf: props.partOf,
      extra: props.labels,
    });
    this.labels = labels;
    this.namespace = props.namespace;

    const topology = (topologyKey: string, whenUnsatisfiable: string, minDomains?: number) => ({
      topologyKey,
      maxSkew: DEFAULT_MAX_SKEW,
      whenUnsatisfiable,
      ...(minDomains !== undefined ? { minDomains } : {}),
      labelSelector: { matchLabels: this.selector },
      matchLabelKeys: ['pod-template-hash'],
      nodeTaintsPolicy: 'Honor',
    });

    this.apiObject = new k8s.KubeDeployment(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels,
        annotations: withPullPolicyException(probeExemptions(probes), this.imagePullPolicy),
      },
      spec: {
        replicas: props.autoscaled ? undefined : (props.replicas ?? DEFAULT_REPLICAS),
        revisionHistoryLimit: DEFAULT_REVISION_HISTORY_LIMIT,
        minReadySeconds: this.minReadySeconds,
        progressDeadlineSeconds: DEFAULT_PROGRESS_DEADLINE_SECONDS,
        selector: { matchLabels: this.selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxUnavailable: k8s.IntOrString.fromNumber(0),
            maxSurge:
              typeof maxSurge === 'number'
                ? k8s.IntOrString.fromNumber(maxSurge)
                : k8s.IntOrString.fromString(maxSurge),
          },
        },
        template: {
          metadata: {
            labels,
            ...(probes.kind === 'none'
              ? { annotations: { [NO_PROBES_ANNOTATION]: probes.reason } }
              : {}),
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            priorityClassName: props.priorityClassName,
            terminationGracePeriodSeconds: this.drain.gracePeriodSeconds,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: DEFAULT_RUN_AS_USER,
              runAsGroup: DEFAULT_RUN_AS_USER,
              fsGroup: DEFAULT_RUN_AS_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              topology('topology.kubernetes.io/zone', spread.whenUnsatisfiable, spread.minDomains),
            ],
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: DEFAULT_ANTI_AFFINITY_WEIGHT,
                    podAffinityTerm: {
                      topologyKey: 'kubernetes.io/hostname',
                      labelSelector: { matchLabels: this.selector },
                    },
                  },
                ],
              },
            },
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: this.imagePullPolicy,
                ports: [
                  ...(this.port
                    ? [{ name: 'http', containerPort: this.port, protocol: 'TCP' }]
                    : []),
                  ...(this.metricsPort
                    ? [{ name: 'metrics', containerPort: this.metricsPort, protocol: 'TCP' }]
                    : []),
                ],
                env,
                resources: this.resources.toKube(),
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: DEFAULT_RUN_AS_USER,
                  runAsGroup: DEFAULT_RUN_AS_USER,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                ...containerProbes(probes),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [
              {
                name: 'tmp',
                emptyDir: {
                  sizeLimit: k8s.Quantity.fromString(
                    this.resources.resources.requests.ephemeralStorage,
                  ),
                },
              },
            ],
          },
        },
      },
    });
  }

  /** Time the drain keeps the pod alive after SIGTERM, at most. */
  get gracePeriod(): Duration {
    return this.drain.gracePeriod;
  }
}

/** The metrics port, or undefined for `false`; it must differ from the HTTP port. */
function resolveMetricsPort(
  port: number | undefined,
  metricsPort: number | false | undefined,
): number | undefined {
  const value = metricsPort ?? DEFAULT_METRICS_PORT;
  if (value === false) return undefined;
  checkPort('metricsPort', value);
  if (value === port && metricsPort === undefined) {
    // the user chose `port`; the clash is with a default they did not write
    throw new Error(
      `'port' (${port}) must differ from the metrics port (${value}, the default of ` +
        `'metricsPort'): choose another port, or set metricsPort (false for none)`,
    );
  }
  if (value === port) {
    throw new Error(
      `'metricsPort' (${value}) must differ from 'port' (${port}): ` +
        `serve metrics on their own port (default ${DEFAULT_METRICS_PORT}) so the load balancer never exposes them`,
    );
  }
  return value;
}
