import { describe, expect, it } from '@jest/globals';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import {
  DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD,
  DEFAULT_DNS_HEALTH_CHECK_INTERVAL,
  DEFAULT_DNS_HEALTH_CHECK_PATH,
  DEFAULT_DNS_RECORD_TTL,
  DEFAULT_INGRESS_HOSTNAME_TIMEOUT,
  HaDns,
  regionalHostName,
  type HaDnsProps,
} from './ha-dns.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON */

const ZONE = { name: 'stayup.example.com', id: 'Z0EXAMPLE00001' };
const stackIn = (region: string) =>
  new Stack(new App(), `s-${region}`, { env: { account: '333333333333', region } });
const dnsIn = (region: string, props: Partial<HaDnsProps> = {}) => {
  const stack = stackIn(region);
  const dns = new HaDns(stack, 'Dns', { zone: ZONE, hosts: ['api.stayup.example.com'], ...props });
  return { stack, dns };
};
/** A cluster with a kubectl provider, imported (no cluster is built for these tests). */
const clusterIn = (stack: Stack) =>
  eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'stayup-live',
    kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', {
      serviceToken: 'arn:aws:lambda:eu-west-1:333333333333:function:kubectl',
    }),
  });

describe('HaDns', () => {
  it('creates a DNS-validated certificate covering every host, in the zone named by id (no lookup)', () => {
    // CertificateValidation.fromDns(zone) sets DomainValidationOptions[].HostedZoneId: CloudFormation
    // then writes the validation CNAMEs into the zone and completes only once ACM has issued the
    // certificate (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html,
    // "HostedZoneId"), so the load balancer controller finds it ISSUED when the Ingress arrives.
    const { stack, dns } = dnsIn('eu-west-1', {
      hosts: ['api.stayup.example.com', 'www.stayup.example.com'],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.stayup.example.com',
      SubjectAlternativeNames: ['www.stayup.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'api.stayup.example.com', HostedZoneId: ZONE.id },
        { DomainName: 'www.stayup.example.com', HostedZoneId: ZONE.id },
      ],
    });
    expect(stack.resolve(dns.certificateArn)).toEqual({ Ref: expect.any(String) });
    expect(dns.ingressHosts).toEqual(['api.stayup.example.com', 'www.stayup.example.com']);
    // one region: no health checks, no latency routing
    t.resourceCountIs('AWS::Route53::HealthCheck', 0);
  });

  it('points each host at the ALB named in the Ingress status, read in the cluster after the release', () => {
    // The AWS Load Balancer Controller writes the ALB's DNS name to the Ingress status,
    // status.loadBalancer.ingress[0].hostname (kubernetes-sigs/aws-load-balancer-controller,
    // controllers/ingress/group_controller.go, updateIngressStatus: `Hostname: lbDNS`), and the
    // aws-eks-v2 kubectl handler's `get` retries `kubectl get -o jsonpath` every 10 s until the value
    // is non-empty or TimeoutSeconds pass (aws-cdk-lib 2.276.0,
    // custom-resource-handlers/dist/aws-eks-v2/kubectl-handler/get/__init__.py lines 43-69).
    const { stack, dns } = dnsIn('eu-west-1');
    const cluster = clusterIn(stack);
    const release = new eks.KubernetesManifest(stack, 'Release', {
      cluster,
      manifest: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
    });
    dns.pointAtIngress({
      cluster,
      namespace: 'stayup',
      name: 'stayup-api',
      after: [release],
    });
    const t = Template.fromStack(stack);
    const values = t.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue');
    const [[valueId, value]] = Object.entries<any>(values);
    expect(value.Properties).toMatchObject({
      ClusterName: 'stayup-live',
      ObjectType: 'ingress',
      ObjectNamespace: 'stayup',
      ObjectName: 'stayup-api',
      JsonPath: '.status.loadBalancer.ingress[0].hostname',
      TimeoutSeconds: DEFAULT_INGRESS_HOSTNAME_TIMEOUT.toSeconds(),
    });
    expect(value.DependsOn).toEqual(
      expect.arrayContaining([
        Object.keys(t.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0],
      ]),
    );
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.stayup.example.com.',
      Type: 'CNAME',
      HostedZoneId: ZONE.id,
      TTL: String(DEFAULT_DNS_RECORD_TTL.toSeconds()),
      ResourceRecords: [{ 'Fn::GetAtt': [valueId, 'Value'] }],
      SetIdentifier: Match.absent(),
    });
  });

  it("routes live's hosts by latency, each region with its own health check on https://<region>.<host>/ready", () => {
    // Latency records: one per region for the same name, told apart by SetIdentifier and Region
    // (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-latency.html);
    // a record whose health check fails is not returned. A check without IPAddress resolves its
    // FullyQualifiedDomainName and sends it as the Host header and, with EnableSNI, in the TLS
    // client_hello (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html):
    // the regional name resolves to this region's ALB only, and the Ingress serves it.
    const templates = ['eu-west-1', 'eu-central-1'].map((region) => {
      const { stack, dns } = dnsIn(region, { latency: { region } });
      dns.pointAt('k8s-stayup-api-0123456789.' + region + '.elb.amazonaws.com');
      expect(dns.ingressHosts).toEqual([
        'api.stayup.example.com',
        regionalHostName('api.stayup.example.com', region),
      ]);
      return [region, Template.fromStack(stack)] as const;
    });
    for (const [region, t] of templates) {
      const regional = `${region}.api.stayup.example.com`;
      t.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: 'api.stayup.example.com',
        SubjectAlternativeNames: [regional],
      });
      const [checkId] = Object.keys(t.findResources('AWS::Route53::HealthCheck'));
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: {
          Type: 'HTTPS',
          FullyQualifiedDomainName: regional,
          Port: 443,
          ResourcePath: DEFAULT_DNS_HEALTH_CHECK_PATH,
          EnableSNI: true,
          RequestInterval: DEFAULT_DNS_HEALTH_CHECK_INTERVAL.toSeconds(),
          FailureThreshold: DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD,
        },
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.stayup.example.com.',
        Type: 'CNAME',
        Region: region,
        SetIdentifier: region,
        HealthCheckId: { Ref: checkId },
        ResourceRecords: [`k8s-stayup-api-0123456789.${region}.elb.amazonaws.com`],
      });
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${regional}.`,
        Type: 'CNAME',
        SetIdentifier: Match.absent(),
      });
      // independent: nothing names the other region
      const other = region === 'eu-west-1' ? 'eu-central-1' : 'eu-west-1';
      expect(JSON.stringify(t.toJSON())).not.toContain(other);
    }
  });

  it('documents its defaults: 60 s TTL, /ready, 3 failures every 30 s, 10 minutes for the ALB', () => {
    expect(DEFAULT_DNS_RECORD_TTL.toSeconds()).toBe(60);
    expect(DEFAULT_DNS_HEALTH_CHECK_PATH).toBe('/ready');
    expect(DEFAULT_DNS_HEALTH_CHECK_FAILURE_THRESHOLD).toBe(3);
    expect(DEFAULT_DNS_HEALTH_CHECK_INTERVAL.toSeconds()).toBe(30);
    expect(DEFAULT_INGRESS_HOSTNAME_TIMEOUT.toMinutes()).toBe(10);
    const { dns } = dnsIn('eu-west-1', { recordTtl: Duration.seconds(300) });
    expect(dns.recordTtl.toSeconds()).toBe(300);
    expect(dns.healthCheckPath).toBe('/ready');
  });

  it.each([
    [
      { zone: { name: 'stayup.example.com' } },
      `'zone.id' (undefined) must be the id of the hosted zone 'stayup.example.com': create the zone once and copy its id (aws route53 list-hosted-zones-by-name --dns-name stayup.example.com)`,
    ],
    [
      { hosts: [] },
      `'hosts' ([]) must list at least one host name of the zone 'stayup.example.com'`,
    ],
    [
      { hosts: ['stayup.example.com'] },
      `'hosts[0]' (stayup.example.com) must be a name below the zone 'stayup.example.com': e.g. 'api.stayup.example.com' (a CNAME cannot sit at the zone apex)`,
    ],
    [
      { hosts: ['api.other.example.com'] },
      `'hosts[0]' (api.other.example.com) must be a name below the zone 'stayup.example.com': e.g. 'api.stayup.example.com' (a CNAME cannot sit at the zone apex)`,
    ],
    [
      { latency: { region: 'Europe' } },
      `'latency.region' (Europe) must be an AWS region: e.g. 'eu-west-1'`,
    ],
  ])('refuses %j, naming the prop', (props, message) => {
    expect(() => dnsIn('eu-west-1', props as Partial<HaDnsProps>)).toThrow(message);
  });
});
