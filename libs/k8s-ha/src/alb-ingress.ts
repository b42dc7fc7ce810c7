import { ALB_IDLE_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from '@stayup/contract';
import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaService } from './ha-service.js';
import type { HaDeployment } from './ha-deployment.js';
import { checkDnsSubdomain, checkInteger, requireHttp } from './private/validation.js';

/** The ALB's idle timeout: AWS's default, and below the app's 65 s keep-alive. */
export const DEFAULT_ALB_IDLE_TIMEOUT = Duration.millis(ALB_IDLE_TIMEOUT_MS);
/** The app's HTTP keep-alive timeout (@stayup/nest-lifecycle's default). */
export const DEFAULT_APP_KEEP_ALIVE_TIMEOUT = Duration.millis(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
/** Scheme: an ALB reachable from the internet (the public API); `internal` for private ones. */
export const DEFAULT_ALB_SCHEME = 'internet-facing';
/** IngressClass of the AWS Load Balancer Controller. */
export const DEFAULT_INGRESS_CLASS = 'alb';
/** The controller unless told otherwise: the AWS Load Balancer Controller, for readiness gates. */
export const DEFAULT_LOAD_BALANCER_CONTROLLER: LoadBalancerControllerKind =
  'aws-load-balancer-controller';
/**
 * Behind EKS Auto Mode's load balancing, time allowed on top of the health checks for the
 * controller to see a new pod and register it as a target. An assumption, not a measurement:
 * nothing here can run Auto Mode, and AWS documents no bound; raise it if a rollout shows 5xx.
 */
export const AUTO_MODE_REGISTRATION_ALLOWANCE_SECONDS = 10;

/**
 * Shortest drain delay behind an ALB: after SIGTERM the pod must keep serving until the ALB has
 * stopped sending it requests. 10 s is the default target group health check's time to take a
 * draining pod (`/ready` 503) out of rotation should its deregistration lag (5 s × 2, see
 * {@link DEFAULT_ALB_HEALTH_CHECK}), and the lower end of the 10-15 s the project takes from AWS's
 * EKS guidance on ALB deregistration.
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/load-balancing.html
 */
export const ALB_MIN_DRAIN_DELAY = Duration.seconds(10);
/**
 * Drain delay {@link HighlyAvailableService} gives a workload behind an ALB when `drain.delay` is
 * unset: 15 s, the upper end of that guidance (the app's own 5 s default suits no load balancer).
 */
export const DEFAULT_ALB_DRAIN_DELAY = Duration.seconds(15);

/**
 * Which controller turns the Ingress into an ALB:
 * - `'aws-load-balancer-controller'`: the self-managed AWS Load Balancer Controller (IngressClass
 *   `alb`). With the namespace labelled `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` (as
 *   {@link HaNamespace} does), its readiness gates keep a new pod unready until the ALB serves it,
 *   so a rollout never stops an old pod before its replacement takes traffic.
 *   https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
 * - `'eks-auto-mode'`: EKS Auto Mode's built-in load balancing (an IngressClass whose controller is
 *   `eks.amazonaws.com/alb`). It has no readiness gates
 *   (https://github.com/aws/containers-roadmap/issues/2511), so the rollout relies on timing: the
 *   Deployment's `minReadySeconds` must cover the ALB's health checks (`healthyThreshold` ×
 *   `intervalSeconds`) plus {@link AUTO_MODE_REGISTRATION_ALLOWANCE_SECONDS}; less is refused.
 *   https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html
 */
export type LoadBalancerControllerKind = 'aws-load-balancer-controller' | 'eks-auto-mode';

/**
 * The `minReadySeconds` a rollout needs behind EKS Auto Mode's load balancing, for a health
 * check: the checks that make a new target healthy, plus the registration allowance.
 */
export function autoModeMinReadySeconds(healthCheck: Partial<AlbHealthCheck> = {}): number {
  const check = { ...DEFAULT_ALB_HEALTH_CHECK, ...healthCheck };
  return check.healthyThreshold * check.intervalSeconds + AUTO_MODE_REGISTRATION_ALLOWANCE_SECONDS;
}
/** The target group health check of an {@link AlbIngress}, on the readiness path. */
export interface AlbHealthCheck {
  /** Seconds between checks of one target (AWS: 5-300). */
  readonly intervalSeconds: number;
  /** Seconds without an answer that fail a check (AWS: 2-120, less than the interval). */
  readonly timeoutSeconds: number;
  /** Consecutive successes before a target receives traffic (AWS: 2-10). */
  readonly healthyThreshold: number;
  /** Consecutive failures before a target stops receiving traffic (AWS: 2-10). */
  readonly unhealthyThreshold: number;
}

/**
 * Target group health check on the readiness path, as fast as the ALB allows with two checks
 * either way: every 5 s (the minimum) with a 2 s timeout (the minimum; the app answers in
 * microseconds), out after 2 failures, in after 2 successes. A replica that dies, or starts
 * draining, stops receiving traffic within 10 s even if its deregistration is slow; at the ALB's
 * defaults (30 s × 2, 5 s timeout) a dead replica would take a minute, with 1/N of requests
 * failing meanwhile. Only 200 is healthy.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#health-check
 */
export const DEFAULT_ALB_HEALTH_CHECK: AlbHealthCheck = {
  intervalSeconds: 5,
  timeoutSeconds: 2,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
};
/** Status codes the health check accepts: 200 only (`/ready` answers 503 while draining). */
export const DEFAULT_ALB_HEALTH_CHECK_SUCCESS_CODES = '200';
/** TLS policy: TLS 1.3 and 1.2 only. */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const A = 'alb.ingress.kubernetes.io';

/** Options of {@link AlbIngress}. */
export interface AlbIngressProps {
  /** The Service to route to. */
  readonly service: HaService;
  /** The Deployment behind it (its drain and probes set the target group's timings). */
  readonly deployment: HaDeployment;
  /** Host names served over HTTPS, e.g. `['api.example.com']`. At least one. */
  readonly hosts: readonly string[];
  /**
   * ACM certificate ARNs. Without them the controller discovers certificates for `hosts` in ACM.
   * @default discovered from the TLS hosts
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/cert_discovery/
   */
  readonly certificateArns?: readonly string[];
  /** @default 'internet-facing' */
  readonly scheme?: 'internet-facing' | 'internal';
  /**
   * Share one ALB between Ingresses of the same group.
   * @default none (an ALB of its own)
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#group.name
   */
  readonly groupName?: string;
  /**
   * CIDRs allowed to reach the ALB.
   * @default none (the controller's default, 0.0.0.0/0 for internet-facing)
   */
  readonly inboundCidrs?: readonly string[];
  /** ALB idle timeout; must stay below `appKeepAliveTimeout`. @default 60 s */
  readonly idleTimeout?: Duration;
  /** The app's keep-alive timeout. @default 65 s */
  readonly appKeepAliveTimeout?: Duration;
  /**
   * Target group deregistration delay; must cover the app's drain delay.
   * @default the drain's delay + timeout, in whole seconds
   */
  readonly deregistrationDelay?: Duration;
  /** @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /**
   * The controller that serves the Ingress; see {@link LoadBalancerControllerKind}.
   * @default 'aws-load-balancer-controller'
   */
  readonly controller?: LoadBalancerControllerKind;
  /**
   * The IngressClass. For `'eks-auto-mode'`, the name of the cluster's IngressClass whose
   * controller is `eks.amazonaws.com/alb` (a cluster-wide object its administrators create).
   * @default 'alb'
   */
  readonly ingressClassName?: string;
  /**
   * The target group health check (on the readiness path). Deregistration (the pod leaving the
   * endpoints, with readiness gates) is what takes a draining pod out of rotation; the health
   * check is what takes out a replica that died, within `intervalSeconds` × `unhealthyThreshold`.
   * @default DEFAULT_ALB_HEALTH_CHECK: every 5 s, 2 s timeout, 2 failures out, 2 successes in
   */
  readonly healthCheck?: Partial<AlbHealthCheck>;
}

/**
 * An Ingress for the AWS Load Balancer Controller: `ip` targets (pods, not NodePorts), health
 * checks on the readiness path, HTTPS with HTTP redirected, and timings consistent with the app:
 * deregistration delay ≥ the app's drain delay, idle timeout < the app's keep-alive timeout.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
 */
export class AlbIngress extends Construct {
  /** The Ingress. */
  readonly apiObject: k8s.KubeIngress;
  /** The target group deregistration delay, in seconds. */
  readonly deregistrationDelaySeconds: number;
  /** The ALB idle timeout, in seconds. */
  readonly idleTimeoutSeconds: number;
  /** The effective health check. */
  readonly healthCheck: AlbHealthCheck;
  /** Longest a target that stops answering keeps receiving traffic: interval × unhealthy threshold. */
  readonly unhealthyAfterSeconds: number;
  /** The controller that serves it. */
  readonly controller: LoadBalancerControllerKind;

  constructor(scope: Construct, id: string, props: AlbIngressProps) {
    super(scope, id);
    const { service, deployment } = props;
    if (props.hosts.length === 0) {
      throw new Error(
        `'ingress.hosts' ([]) must list at least one host name: the HTTPS listener needs it ` +
          `for its certificate, e.g. ['api.example.com']`,
      );
    }
    props.hosts.forEach((host, i) => checkDnsSubdomain(`ingress.hosts[${i}]`, host));
    const idle = props.idleTimeout ?? DEFAULT_ALB_IDLE_TIMEOUT;
    const keepAlive = props.appKeepAliveTimeout ?? DEFAULT_APP_KEEP_ALIVE_TIMEOUT;
    if (idle.toSeconds() >= keepAlive.toSeconds()) {
      throw new Error(
        `'ingress.idleTimeout' (${idle.toHumanString()}) must be less than the app's keep-alive ` +
          `timeout (${keepAlive.toHumanString()}): otherwise the ALB may reuse a connection the app ` +
          `just closed and answer 502; lower idleTimeout or raise the app's keep-alive`,
      );
    }
    this.idleTimeoutSeconds = Math.round(idle.toSeconds());
    const drainSeconds = Math.ceil((deployment.drain.delayMs + deployment.drain.timeoutMs) / 1000);
    this.deregistrationDelaySeconds = Math.ceil(
      props.deregistrationDelay?.toSeconds() ?? drainSeconds,
    );
    if (this.deregistrationDelaySeconds * 1000 < deployment.drain.delayMs) {
      throw new Error(
        `'ingress.deregistrationDelay' (${this.deregistrationDelaySeconds} s) must be at least the ` +
          `app's drain delay (${deployment.drain.delayMs / 1000} s): the ALB would cut connections ` +
          `the app still serves; raise it or leave it unset to derive it`,
      );
    }
    if (deployment.drain.delayMs < ALB_MIN_DRAIN_DELAY.toMilliseconds()) {
      throw new Error(
        `'drain.delay' (${deployment.drain.delayMs / 1000} s) must be at least ` +
          `${ALB_MIN_DRAIN_DELAY.toSeconds()} s behind an ALB ('ingress'): the pod keeps serving after SIGTERM ` +
          `until the ALB has deregistered it (AWS's EKS guidance: 10-15 s); raise it, or leave it unset for ` +
          `${DEFAULT_ALB_DRAIN_DELAY.toSeconds()} s`,
      );
    }
    this.healthCheck = resolveHealthCheck(props.healthCheck);
    this.controller = props.controller ?? DEFAULT_LOAD_BALANCER_CONTROLLER;
    if (this.controller !== 'aws-load-balancer-controller' && this.controller !== 'eks-auto-mode') {
      throw new Error(
        `'ingress.controller' (${String(this.controller)}) must be 'aws-load-balancer-controller' or 'eks-auto-mode'`,
      );
    }
    const needed = autoModeMinReadySeconds(this.healthCheck);
    if (this.controller === 'eks-auto-mode' && deployment.minReadySeconds < needed) {
      throw new Error(
        `'minReadySeconds' (${deployment.minReadySeconds}) must be at least ${needed} behind EKS Auto Mode's ` +
          `load balancing ('ingress.controller': eks-auto-mode): it has no readiness gates, so an old pod may ` +
          `stop before the ALB serves its replacement (${this.healthCheck.healthyThreshold} health checks × ` +
          `${this.healthCheck.intervalSeconds} s + ${AUTO_MODE_REGISTRATION_ALLOWANCE_SECONDS} s to register); ` +
          `set minReadySeconds: ${needed}, or use the AWS Load Balancer Controller and its readiness gates`,
      );
    }
    this.unhealthyAfterSeconds =
      this.healthCheck.intervalSeconds * this.healthCheck.unhealthyThreshold;
    const annotations: Record<string, string> = {
      [`${A}/scheme`]: props.scheme ?? DEFAULT_ALB_SCHEME,
      [`${A}/target-type`]: 'ip',
      [`${A}/listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]',
      [`${A}/ssl-redirect`]: '443',
      [`${A}/ssl-policy`]: props.sslPolicy ?? DEFAULT_SSL_POLICY,
      [`${A}/backend-protocol`]: 'HTTP',
      [`${A}/healthcheck-path`]: requireHttp('an Ingress', deployment).readinessPath,
      [`${A}/healthcheck-port`]: 'traffic-port',
      [`${A}/healthcheck-interval-seconds`]: String(this.healthCheck.intervalSeconds),
      [`${A}/healthcheck-timeout-seconds`]: String(this.healthCheck.timeoutSeconds),
      [`${A}/healthy-threshold-count`]: String(this.healthCheck.healthyThreshold),
      [`${A}/unhealthy-threshold-count`]: String(this.healthCheck.unhealthyThreshold),
      [`${A}/success-codes`]: DEFAULT_ALB_HEALTH_CHECK_SUCCESS_CODES,
      [`${A}/target-group-attributes`]: `deregistration_delay.timeout_seconds=${this.deregistrationDelaySeconds}`,
      [`${A}/load-balancer-attributes`]: `idle_timeout.timeout_seconds=${this.idleTimeoutSeconds},routing.http.drop_invalid_header_fields.enabled=true`,
    };
    if (props.certificateArns?.length) {
      annotations[`${A}/certificate-arn`] = props.certificateArns.join(',');
    }
    if (props.groupName) annotations[`${A}/group.name`] = props.groupName;
    if (props.inboundCidrs?.length)
      annotations[`${A}/inbound-cidrs`] = props.inboundCidrs.join(',');

    this.apiObject = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: service.name,
        namespace: service.namespace,
        labels: service.labels,
        annotations,
      },
      spec: {
        ingressClassName: props.ingressClassName ?? DEFAULT_INGRESS_CLASS,
        tls: [{ hosts: [...props.hosts] }],
        rules: props.hosts.map((host) => ({
          host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: service.name, port: { name: 'http' } },
                },
              },
            ],
          },
        })),
      },
    });
  }
}

/** The health check with its defaults; refuses what the ELB API would refuse at deploy time. */
function resolveHealthCheck(given: Partial<AlbHealthCheck> = {}): AlbHealthCheck {
  const check = { ...DEFAULT_ALB_HEALTH_CHECK, ...given };
  // limits of CreateTargetGroup for HTTP target groups (see DEFAULT_ALB_HEALTH_CHECK's @see)
  checkInteger('ingress.healthCheck.intervalSeconds', check.intervalSeconds, 5, 300, 'e.g. 5');
  checkInteger('ingress.healthCheck.timeoutSeconds', check.timeoutSeconds, 2, 120, 'e.g. 2');
  checkInteger('ingress.healthCheck.healthyThreshold', check.healthyThreshold, 2, 10, 'e.g. 2');
  checkInteger('ingress.healthCheck.unhealthyThreshold', check.unhealthyThreshold, 2, 10, 'e.g. 2');
  if (check.timeoutSeconds >= check.intervalSeconds) {
    throw new Error(
      `'ingress.healthCheck.timeoutSeconds' (${check.timeoutSeconds}) must be less than ` +
        `'ingress.healthCheck.intervalSeconds' (${check.intervalSeconds}): the ELB API refuses it; ` +
        `lower the timeout or raise the interval`,
    );
  }
  return check;
}
