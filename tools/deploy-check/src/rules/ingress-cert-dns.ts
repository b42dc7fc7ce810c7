import { resolve, resourcesOfType } from '../cfn.ts';
import { getPath, kubectlResourcesOf, type KubeObject } from '../eks.ts';
import { sameEnvironment } from '../environments.ts';
import type { Assembly, CheckOptions, Finding, Rule, StackTemplate } from '../types.ts';

/**
 * ingress-cert-dns: every Ingress host (`spec.rules[].host`, `spec.tls[].hosts`) has, in the same
 * deploy (any stack of the environment):
 * - an ACM certificate covering it in the Ingress's region: the load balancer controller either
 *   takes `alb.ingress.kubernetes.io/certificate-arn` or discovers a certificate by host, and
 *   fails the Ingress when none matches
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/cert_discovery/);
 *   an ALB takes certificates of its own region only
 *   (https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html); a wildcard covers one
 *   label (https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html);
 * - a Route 53 record for it (AWS::Route53::RecordSet / RecordSetGroup), or ExternalDNS installed
 *   on the cluster (a Helm release of `external-dns`), or nothing resolves the name.
 * A `certificate-arn` annotation naming a certificate outside the assembly is accepted as is.
 */
export const ingressCertDns: Rule = {
  id: 'ingress-cert-dns',
  description:
    'every Ingress host has an ACM certificate (its region) and a Route 53 record in the same deploy',
  check(assembly: Assembly, options: CheckOptions): Finding[] {
    const findings: Finding[] = [];
    const kubectl = kubectlResourcesOf(assembly);
    for (const r of kubectl) {
      const env = sameEnvironment(assembly, r.stack, options);
      const certs = env.filter((s) => s.region === r.stack.region).flatMap(certificatesOf);
      const records = env.flatMap(recordNamesOf);
      const externalDns = kubectl.some(
        (x) =>
          x.clusterName === r.clusterName &&
          x.stack === r.stack &&
          x.helm?.chart.split('/').pop() === 'external-dns',
      );
      for (const o of r.objects.filter((x) => x.kind === 'Ingress')) {
        const explicit = getPath(
          o.body,
          'metadata',
          'annotations',
          'alb.ingress.kubernetes.io/certificate-arn',
        );
        for (const host of hostsOf(o)) {
          const problems: string[] = [];
          if (!explicit && !certs.some((c) => c.names.some((n) => covers(n, host)))) {
            problems.push(
              `no ACM certificate covering it in ${r.stack.region ?? 'its region'} (AWS::CertificateManager::Certificate DomainName / SubjectAlternativeNames): certificate discovery finds none and the HTTPS listener is never created`,
            );
          }
          if (!externalDns && !records.some((n) => covers(n, host))) {
            problems.push(
              `no Route 53 record (AWS::Route53::RecordSet) for it: the name does not resolve to the load balancer`,
            );
          }
          if (problems.length === 0) continue;
          findings.push({
            rule: 'ingress-cert-dns',
            stack: r.stack.name,
            logicalId: r.logicalId,
            message: `Ingress ${o.namespace ?? 'default'}/${o.name} host ${host}: ${problems.join('; ')}. Fix: create, in the same deploy, a DNS-validated certificate (new acm.Certificate(…, { validation: CertificateValidation.fromDns(zone) })) and an alias record to the load balancer (or install ExternalDNS)`,
          });
        }
      }
    }
    return findings;
  },
};

function hostsOf(o: KubeObject): string[] {
  const rules = (getPath(o.body, 'spec', 'rules') ?? []) as { host?: string }[];
  const tls = (getPath(o.body, 'spec', 'tls') ?? []) as { hosts?: string[] }[];
  return [...new Set([...rules.map((x) => x.host), ...tls.flatMap((t) => t.hosts ?? [])])].filter(
    (h): h is string => typeof h === 'string' && h.length > 0,
  );
}

/** Whether a certificate or record name covers a host (`*.a.b` covers `x.a.b`, not `a.b`). */
export function covers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  return n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, -n.length + 1).includes('.');
}

function certificatesOf(stack: StackTemplate): { logicalId: string; names: string[] }[] {
  return Object.entries(stack.template.Resources ?? {})
    .filter(
      ([, r]) =>
        r.Type === 'AWS::CertificateManager::Certificate' ||
        // the deprecated DnsValidatedCertificate custom resource
        (r.Type.startsWith('AWS::CloudFormation::CustomResource') &&
          r.Properties?.HostedZoneId &&
          r.Properties?.DomainName),
    )
    .map(([logicalId, r]) => {
      const p = resolve(r.Properties ?? {}, stack) as Record<string, unknown>;
      return {
        logicalId,
        names: [p.DomainName, ...((p.SubjectAlternativeNames as unknown[]) ?? [])].map(String),
      };
    });
}

function recordNamesOf(stack: StackTemplate): string[] {
  const sets = resourcesOfType(stack, 'AWS::Route53::RecordSet').map(([, r]) => r.Properties);
  const groups = resourcesOfType(stack, 'AWS::Route53::RecordSetGroup').flatMap(
    ([, r]) => (r.Properties?.RecordSets ?? []) as Record<string, unknown>[],
  );
  return [...sets, ...groups].map((p) => String(resolve(getPath(p, 'Name'), stack)));
}
