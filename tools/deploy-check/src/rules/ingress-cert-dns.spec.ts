import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import { fixture, fixtureTemplate } from '../fixtures/index.ts';
import type { CfnResource, Template } from '../types.ts';
import { covers, ingressCertDns } from './ingress-cert-dns.ts';

// Certificate discovery by host: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/cert_discovery/
// ACM certificates are regional: https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
// A wildcard name covers one label: https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html
const resources = (t: Template) => t.Resources as Record<string, CfnResource>;

describe('ingress-cert-dns', () => {
  it('fires on an Ingress host with neither certificate nor record', () => {
    expect(ingressCertDns.check(fixture('ingress-cert-dns', 'broken'), {})).toEqual([
      {
        rule: 'ingress-cert-dns',
        stack: 'broken',
        logicalId: 'App',
        message: expect.stringMatching(
          /^Ingress default\/api host api\.example\.com: no ACM certificate covering it in eu-west-1 .*; no Route 53 record/,
        ),
      },
    ]);
  });

  it('is silent with a wildcard certificate in its region and a record, in the same deploy', () => {
    expect(ingressCertDns.check(fixture('ingress-cert-dns', 'fixed'), {})).toEqual([]);
  });

  it('looks in every stack of the environment (same account), but for certificates only in its region', () => {
    const app = fixtureTemplate('ingress-cert-dns', 'broken');
    const shared = fixtureTemplate('ingress-cert-dns', 'fixed');
    delete resources(shared).App;
    const stacks = (region: string, account = '111111111111') =>
      assemblyOf(
        { name: 'app', account: '111111111111', region: 'eu-west-1', template: app },
        { name: 'dns', account, region, template: shared },
      );
    expect(ingressCertDns.check(stacks('eu-west-1'), {})).toEqual([]);
    expect(ingressCertDns.check(stacks('us-east-1'), {}).map((f) => f.message)).toEqual([
      expect.stringContaining('no ACM certificate covering it in eu-west-1'),
    ]);
    expect(ingressCertDns.check(stacks('eu-west-1', '999999999999'), {})).toHaveLength(1);
  });

  it('accepts an explicit certificate-arn annotation and ExternalDNS', () => {
    const t = fixtureTemplate('ingress-cert-dns', 'broken');
    const props = resources(t).App.Properties as Record<string, string>;
    const [ingress] = JSON.parse(props.Manifest);
    ingress.metadata.annotations = {
      'alb.ingress.kubernetes.io/certificate-arn':
        'arn:aws:acm:eu-west-1:111111111111:certificate/x',
    };
    props.Manifest = JSON.stringify([ingress]);
    resources(t).Dns = {
      Type: 'Custom::AWSCDK-EKS-HelmChart',
      Properties: {
        ClusterName: { Ref: 'Cluster' },
        Chart: 'external-dns',
        Namespace: 'kube-system',
      },
    };
    expect(
      ingressCertDns.check(assemblyOf({ name: 't', region: 'eu-west-1', template: t }), {}),
    ).toEqual([]);
  });

  it('matches wildcards on one label only', () => {
    expect(covers('*.example.com', 'api.example.com')).toBe(true);
    expect(covers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(covers('*.example.com', 'example.com')).toBe(false);
    expect(covers('api.example.com.', 'API.example.com')).toBe(true);
  });
});
