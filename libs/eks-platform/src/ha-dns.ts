import { READINESS_PATH } from '@stayup/contract';
import { Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, type IDependable } from 'constructs';

/**
 * TTL of the records pointing at the load balancer: short, so a replaced load balancer or a
 * region taken out of latency routing is followed within a minute.
 */
export const DEFAULT_DNS_RECORD_TTL = Duration.seconds(60);

/** Path of the Route 53 health check: the API's readiness endpoint (503 while draining). */
export const DEFAULT_DNS_HEALTH_CHECK_PATH = READINESS_PATH;

/**
 * Consecutive failures before Route 53 takes a region out of latency routing: its default
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html).
 */
export const DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD = 3;

/** Seconds between health checks: Route 53's standard interval (10 s costs more). */
export const DEFAULT_DNS_HEALTH_CHECK_INTERVAL = Duration.seconds(30);

/**
 * How long the deploy waits for the load balancer controller to publish the ALB's DNS name in
 * the Ingress status: an ALB is created in a minute or two; below the kubectl handler's 15-minute
 * Lambda limit.
 */
export const DEFAULT_INGRESS_HOSTNAME_TIMEOUT = Duration.minutes(10);

/** A Route 53 public hosted zone, named in the environment config (no lookup at synth). */
export interface DnsZoneRef {
  /** Zone name, e.g. `stayup.example.com`. */
  readonly name: string;
  /**
   * Hosted zone id (`aws route53 list-hosted-zones-by-name --dns-name <name>`). Required to
   * build: ACM's DNS validation and the records are written into it.
   */
  readonly id?: string;
}

/** Options of {@link HaDns}. */
export interface HaDnsProps {
  /** The hosted zone the hosts belong to. */
  readonly zone: DnsZoneRef;
  /** Public host names (below the zone apex: the records are CNAMEs). */
  readonly hosts: readonly string[];
  /**
   * Latency-based routing among several regions: this region's records of `hosts` carry its
   * region and a set identifier, each with a Route 53 health check on
   * `https://<region>.<host>/ready`; the regional name `<region>.<host>` points at this region's
   * load balancer alone, so the check sees this region only. Each region builds its own records
   * and checks: no region refers to another.
   * @default none: simple records (one region)
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html
   */
  readonly latency?: { readonly region: string };
  /** TTL of the records. @default DEFAULT_DNS_RECORD_TTL (60 s) */
  readonly recordTtl?: Duration;
  /** Path of the health checks. @default DEFAULT_DNS_HEALTH_CHECK_PATH (`/ready`) */
  readonly healthCheckPath?: string;
  /** Failures before unhealthy. @default DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD (3) */
  readonly healthCheckFailureThreshold?: number;
}

/** Options of {@link HaDns.pointAtIngress}. */
export interface IngressTargetOptions {
  /** The cluster running the Ingress (its kubectl handler reads the status). */
  readonly cluster: eks.ICluster;
  readonly namespace: string;
  /** Name of the Ingress. */
  readonly name: string;
  /** What must exist first: the Helm release or manifest that creates the Ingress. */
  readonly after?: readonly IDependable[];
  /** @default DEFAULT_INGRESS_HOSTNAME_TIMEOUT (10 minutes) */
  readonly timeout?: Duration;
}

/** The regional name the health check of `host` uses in `region`: `<region>.<host>`. */
export function regionalHostName(host: string, region: string): string {
  return `${region}.${host}`;
}

/**
 * DNS and TLS for the hosts of one region's load balancer: a DNS-validated ACM certificate for
 * every host (and, with latency routing, every regional host), and CNAME records pointing each at
 * the ALB, with latency routing and health checks when the environment spans regions.
 *
 * The ALB exists only once the load balancer controller has reconciled the Ingress, so its DNS
 * name is not known at synth. {@link pointAtIngress} reads it from the Ingress status
 * (`status.loadBalancer.ingress[0].hostname`) with the cluster's in-VPC kubectl handler
 * (`KubernetesObjectValue`, which retries until the value appears), after the release that
 * creates the Ingress. Chosen over ExternalDNS because it works on the first deploy with no
 * manual step and keeps every record in CloudFormation: created in the same deploy, checked by
 * the deploy-readiness check, deleted with the stack, and no controller in the cluster holding
 * Route 53 write access. Over a fixed `load-balancer-name` because CloudFormation cannot look a
 * load balancer up by name, and the name alone does not give its DNS name. The records are
 * CNAMEs (an alias needs the ALB's canonical zone id, which the Ingress status does not carry),
 * so hosts must be below the zone apex.
 */
export class HaDns extends Construct {
  readonly zone: route53.IHostedZone;
  /** Covers {@link ingressHosts}. */
  readonly certificate: acm.Certificate;
  readonly certificateArn: string;
  /** Every name the Ingress must serve: the hosts, then the regional hosts (latency routing). */
  readonly ingressHosts: readonly string[];
  /** One per host, with latency routing. */
  readonly healthChecks: readonly route53.HealthCheck[];
  readonly recordTtl: Duration;
  readonly healthCheckPath: string;
  private readonly props: HaDnsProps;

  constructor(scope: Construct, id: string, props: HaDnsProps) {
    super(scope, id);
    this.props = props;
    const zoneName = props.zone.name.replace(/\.$/, '');
    if (!props.zone.id) {
      throw new Error(
        `'zone.id' (undefined) must be the id of the hosted zone '${zoneName}': ` +
          `create the zone once and copy its id (aws route53 list-hosted-zones-by-name --dns-name ${zoneName})`,
      );
    }
    if (props.hosts.length === 0) {
      throw new Error(`'hosts' ([]) must list at least one host name of the zone '${zoneName}'`);
    }
    props.hosts.forEach((host, i) => {
      if (!host.endsWith(`.${zoneName}`)) {
        throw new Error(
          `'hosts[${i}]' (${host}) must be a name below the zone '${zoneName}': ` +
            `e.g. 'api.${zoneName}' (a CNAME cannot sit at the zone apex)`,
        );
      }
    });
    const region = props.latency?.region;
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw new Error(`'latency.region' (${region}) must be an AWS region: e.g. 'eu-west-1'`);
    }
    this.recordTtl = props.recordTtl ?? DEFAULT_DNS_RECORD_TTL;
    this.healthCheckPath = props.healthCheckPath ?? DEFAULT_DNS_HEALTH_CHECK_PATH;
    this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.zone.id,
      zoneName,
    });
    this.ingressHosts = [
      ...props.hosts,
      ...(region ? props.hosts.map((h) => regionalHostName(h, region)) : []),
    ];
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: this.ingressHosts[0],
      subjectAlternativeNames: this.ingressHosts.slice(1),
      validation: acm.CertificateValidation.fromDns(this.zone),
    });
    this.certificateArn = this.certificate.certificateArn;
    this.healthChecks = region
      ? props.hosts.map(
          (host, i) =>
            new route53.HealthCheck(this, `HealthCheck${i}`, {
              type: route53.HealthCheckType.HTTPS,
              fqdn: regionalHostName(host, region),
              port: 443,
              resourcePath: this.healthCheckPath,
              // the ALB then answers with the certificate covering the regional name
              enableSNI: true,
              requestInterval: DEFAULT_DNS_HEALTH_CHECK_INTERVAL,
              failureThreshold:
                props.healthCheckFailureThreshold ?? DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD,
            }),
        )
      : [];
  }

  /**
   * CNAME records of every host (and regional host) pointing at `loadBalancerDnsName`: simple
   * records in one region, latency records with this region's health check across regions.
   */
  pointAt(loadBalancerDnsName: string): route53.CnameRecord[] {
    const region = this.props.latency?.region;
    const common = { zone: this.zone, domainName: loadBalancerDnsName, ttl: this.recordTtl };
    const records = this.props.hosts.map(
      (host, i) =>
        new route53.CnameRecord(this, `Record${i}`, {
          ...common,
          recordName: host,
          ...(region ? { region, setIdentifier: region, healthCheck: this.healthChecks[i] } : {}),
        }),
    );
    if (region) {
      this.props.hosts.forEach((host, i) =>
        records.push(
          new route53.CnameRecord(this, `RegionalRecord${i}`, {
            ...common,
            recordName: regionalHostName(host, region),
          }),
        ),
      );
    }
    return records;
  }

  /**
   * {@link pointAt} the ALB that the load balancer controller created for an Ingress, read from
   * its status once `after` (the release that creates it) is done. Returns the DNS name token.
   */
  pointAtIngress(options: IngressTargetOptions): string {
    const hostname = new eks.KubernetesObjectValue(this, 'IngressHostname', {
      cluster: options.cluster,
      objectType: 'ingress',
      objectNamespace: options.namespace,
      objectName: options.name,
      jsonPath: '.status.loadBalancer.ingress[0].hostname',
      timeout: options.timeout ?? DEFAULT_INGRESS_HOSTNAME_TIMEOUT,
    });
    for (const dependency of options.after ?? []) hostname.node.addDependency(dependency);
    this.pointAt(hostname.value);
    return hostname.value;
  }
}
