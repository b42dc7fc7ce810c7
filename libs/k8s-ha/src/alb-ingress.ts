import { ALB_IDLE_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_TIMEOUT_MS } from '@stayup/contract';
import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaService } from './ha-service.js';
import type { HaDeployment } from './ha-deployment.js';
import { checkDnsSubdomain } from './private/validation.js';

/** The ALB's idle timeout: AWS's default, and below the app's 65 s keep-alive. */
export const DEFAULT_ALB_IDLE_TIMEOUT = Duration.millis(ALB_IDLE_TIMEOUT_MS);
/** The app's HTTP keep-alive timeout (@stayup/nest-lifecycle's default). */
export const DEFAULT_APP_KEEP_ALIVE_TIMEOUT = Duration.millis(DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
/** Scheme: an ALB reachable from the internet (the public API); `internal` for private ones. */
export const DEFAULT_ALB_SCHEME = 'internet-facing';
/** IngressClass of the AWS Load Balancer Controller. */
export const DEFAULT_INGRESS_CLASS = 'alb';
/**
 * Target group health check on the readiness path: every 10 s with a 5 s timeout, healthy and
 * unhealthy after 2 checks, only 200 is healthy. The ALB then stops sending to a draining pod
 * within 20 s even before deregistration, and a new pod serves after 2 good checks.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#health-check
 */
export const DEFAULT_ALB_HEALTH_CHECK = {
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  successCodes: '200',
} as const;
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
    const annotations: Record<string, string> = {
      [`${A}/scheme`]: props.scheme ?? DEFAULT_ALB_SCHEME,
      [`${A}/target-type`]: 'ip',
      [`${A}/listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]',
      [`${A}/ssl-redirect`]: '443',
      [`${A}/ssl-policy`]: props.sslPolicy ?? DEFAULT_SSL_POLICY,
      [`${A}/backend-protocol`]: 'HTTP',
      [`${A}/healthcheck-path`]: deployment.probePaths.readiness,
      [`${A}/healthcheck-port`]: 'traffic-port',
      [`${A}/healthcheck-interval-seconds`]: String(DEFAULT_ALB_HEALTH_CHECK.intervalSeconds),
      [`${A}/healthcheck-timeout-seconds`]: String(DEFAULT_ALB_HEALTH_CHECK.timeoutSeconds),
      [`${A}/healthy-threshold-count`]: String(DEFAULT_ALB_HEALTH_CHECK.healthyThreshold),
      [`${A}/unhealthy-threshold-count`]: String(DEFAULT_ALB_HEALTH_CHECK.unhealthyThreshold),
      [`${A}/success-codes`]: DEFAULT_ALB_HEALTH_CHECK.successCodes,
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
        ingressClassName: DEFAULT_INGRESS_CLASS,
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
