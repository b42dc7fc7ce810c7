import { describe, expect, it } from '@jest/globals';
import { Duration } from 'cdk8s';
import {
  ALB_MIN_DRAIN_DELAY,
  AlbIngress,
  DEFAULT_ALB_DRAIN_DELAY,
  type AlbIngressProps,
} from './alb-ingress.js';
import { HaDeployment } from './ha-deployment.js';
import { HaService } from './ha-service.js';
import { only, synth } from './private/testing.js';

function ingress(
  props: Partial<AlbIngressProps> = {},
  drain?: { delay: Duration; timeout: Duration },
) {
  return only(
    synth((chart) => {
      const deployment = new HaDeployment(chart, 'd', {
        name: 'api',
        namespace: 'api',
        image: 'r/api:1.0.0',
        // behind an ALB a drain delay of at least ALB_MIN_DRAIN_DELAY (10 s)
        drain: drain ?? { delay: Duration.seconds(10), timeout: Duration.seconds(10) },
      });
      const service = new HaService(chart, 's', { deployment });
      new AlbIngress(chart, 'i', { service, deployment, hosts: ['api.example.com'], ...props });
    }),
    'Ingress',
  );
}

describe('AlbIngress', () => {
  it('defaults: internet-facing ALB, ip targets, /ready health checks, HTTPS with redirect, timings from the drain', () => {
    const i = ingress();
    expect(i.spec.ingressClassName).toBe('alb');
    expect(i.spec.tls).toEqual([{ hosts: ['api.example.com'] }]);
    expect(i.spec.rules).toEqual([
      {
        host: 'api.example.com',
        http: {
          paths: [
            {
              path: '/',
              pathType: 'Prefix',
              backend: { service: { name: 'api', port: { name: 'http' } } },
            },
          ],
        },
      },
    ]);
    expect(i.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/healthcheck-port': 'traffic-port',
      'alb.ingress.kubernetes.io/healthcheck-interval-seconds': '5',
      'alb.ingress.kubernetes.io/healthcheck-timeout-seconds': '2',
      'alb.ingress.kubernetes.io/healthy-threshold-count': '2',
      'alb.ingress.kubernetes.io/unhealthy-threshold-count': '2',
      'alb.ingress.kubernetes.io/success-codes': '200',
      'alb.ingress.kubernetes.io/target-group-attributes':
        'deregistration_delay.timeout_seconds=20',
      'alb.ingress.kubernetes.io/load-balancer-attributes':
        'idle_timeout.timeout_seconds=60,routing.http.drop_invalid_header_fields.enabled=true',
    });
  });

  it('derives the deregistration delay from a longer drain', () => {
    const i = ingress({}, { delay: Duration.seconds(15), timeout: Duration.seconds(30) });
    expect(i.metadata.annotations['alb.ingress.kubernetes.io/target-group-attributes']).toBe(
      'deregistration_delay.timeout_seconds=45',
    );
  });

  it('takes scheme, group, certificates, inbound CIDRs, idle timeout and TLS policy', () => {
    const a = ingress({
      scheme: 'internal',
      groupName: 'shared',
      certificateArns: ['arn:aws:acm:eu-west-1:123456789012:certificate/abc'],
      inboundCidrs: ['10.0.0.0/8'],
      idleTimeout: Duration.seconds(30),
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
    }).metadata.annotations;
    expect(a['alb.ingress.kubernetes.io/scheme']).toBe('internal');
    expect(a['alb.ingress.kubernetes.io/group.name']).toBe('shared');
    expect(a['alb.ingress.kubernetes.io/certificate-arn']).toBe(
      'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    );
    expect(a['alb.ingress.kubernetes.io/inbound-cidrs']).toBe('10.0.0.0/8');
    expect(a['alb.ingress.kubernetes.io/load-balancer-attributes']).toContain(
      'idle_timeout.timeout_seconds=30',
    );
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
  });

  it('takes a health check, part by part; a dead replica is out after interval × failures', () => {
    const a = ingress({ healthCheck: { intervalSeconds: 10, unhealthyThreshold: 3 } }).metadata
      .annotations;
    expect(a['alb.ingress.kubernetes.io/healthcheck-interval-seconds']).toBe('10');
    expect(a['alb.ingress.kubernetes.io/healthcheck-timeout-seconds']).toBe('2');
    expect(a['alb.ingress.kubernetes.io/unhealthy-threshold-count']).toBe('3');
    const chart = synth((c) => {
      const deployment = new HaDeployment(c, 'd', {
        name: 'api',
        image: 'r/api:1.0.0',
        drain: { delay: Duration.seconds(10) },
      });
      const service = new HaService(c, 's', { deployment });
      const alb = new AlbIngress(c, 'i', { service, deployment, hosts: ['api.example.com'] });
      expect(alb.unhealthyAfterSeconds).toBe(10); // 20 s at the former 10 s interval
    });
    expect(chart).toHaveLength(3);
  });

  it.each([
    [
      { healthCheck: { intervalSeconds: 4 } },
      `'ingress.healthCheck.intervalSeconds' (4) must be an integer from 5 to 300: e.g. 5`,
    ],
    [
      { healthCheck: { unhealthyThreshold: 1 } },
      `'ingress.healthCheck.unhealthyThreshold' (1) must be an integer from 2 to 10: e.g. 2`,
    ],
    [
      { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } },
      `'ingress.healthCheck.timeoutSeconds' (5) must be less than 'ingress.healthCheck.intervalSeconds' (5): the ELB API refuses it; lower the timeout or raise the interval`,
    ],
    [
      { hosts: [] },
      `'ingress.hosts' ([]) must list at least one host name: the HTTPS listener needs it for its certificate, e.g. ['api.example.com']`,
    ],
    [
      { hosts: ['API.example.com'] },
      `'ingress.hosts[0]' (API.example.com) must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'): e.g. 'api-example-com'`,
    ],
    [
      { idleTimeout: Duration.seconds(65) },
      `'ingress.idleTimeout' (1 minute 5 seconds) must be less than the app's keep-alive timeout (1 minute 5 seconds): otherwise the ALB may reuse a connection the app just closed and answer 502; lower idleTimeout or raise the app's keep-alive`,
    ],
    [
      { deregistrationDelay: Duration.seconds(2) },
      `'ingress.deregistrationDelay' (2 s) must be at least the app's drain delay (10 s): the ALB would cut connections the app still serves; raise it or leave it unset to derive it`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => ingress(props as Partial<AlbIngressProps>)).toThrow(message);
  });

  it('refuses a drain delay under ALB_MIN_DRAIN_DELAY (10 s) behind an ALB', () => {
    // The app keeps serving for the drain delay after SIGTERM while the controller deregisters
    // the pod (EKS best practices, load balancing:
    // https://docs.aws.amazon.com/eks/latest/best-practices/load-balancing.html); a draining pod
    // answers /ready 503 and the target group health check takes it out after interval ×
    // unhealthy threshold = 5 s × 2 (ELB target health checks:
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
    expect(ALB_MIN_DRAIN_DELAY.toSeconds()).toBe(10);
    expect(DEFAULT_ALB_DRAIN_DELAY.toSeconds()).toBe(15);
    expect(() =>
      ingress({}, { delay: Duration.seconds(5), timeout: Duration.seconds(10) }),
    ).toThrow(
      `'drain.delay' (5 s) must be at least 10 s behind an ALB ('ingress'): the pod keeps serving after SIGTERM until the ALB has deregistered it (AWS's EKS guidance: 10-15 s); raise it, or leave it unset for 15 s`,
    );
    expect(() =>
      ingress({}, { delay: Duration.seconds(10), timeout: Duration.seconds(10) }),
    ).not.toThrow();
  });

  it('behind EKS Auto Mode (no readiness gates) refuses a minReadySeconds that does not cover the ALB registration', () => {
    // Issue 11: Auto Mode's load balancing has no pod readiness gates
    // (https://github.com/aws/containers-roadmap/issues/2511); with maxUnavailable 0 a new pod
    // counts as available after minReadySeconds, so that is what must cover the ALB's
    // healthyThreshold × interval (+ registration) before an old pod stops.
    expect(() => ingress({ controller: 'eks-auto-mode' })).toThrow(
      `'minReadySeconds' (5) must be at least 20 behind EKS Auto Mode's load balancing ('ingress.controller': eks-auto-mode): it has no readiness gates, so an old pod may stop before the ALB serves its replacement (2 health checks × 5 s + 10 s to register); set minReadySeconds: 20, or use the AWS Load Balancer Controller and its readiness gates`,
    );
    const ok = only(
      synth((chart) => {
        const deployment = new HaDeployment(chart, 'd', {
          name: 'api',
          image: 'r/api:1.0.0',
          minReadySeconds: 20,
          drain: { delay: Duration.seconds(10) },
        });
        const service = new HaService(chart, 's', { deployment });
        new AlbIngress(chart, 'i', {
          service,
          deployment,
          hosts: ['api.example.com'],
          controller: 'eks-auto-mode',
          ingressClassName: 'alb-auto',
        });
      }),
      'Ingress',
    );
    expect(ok.spec.ingressClassName).toBe('alb-auto');
  });
});
