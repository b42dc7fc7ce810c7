import { kubectlResourcesOf } from '../eks.ts';
import { resolve, strings } from '../cfn.ts';
import { environmentOf, sameEnvironment } from '../environments.ts';
import type { Assembly, CheckOptions, Finding, Rule, StackTemplate } from '../types.ts';

/**
 * region-independence: in an environment deployed to several regions, no region depends at run
 * time on another, so that one region's outage leaves the others serving
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-multi-region-fundamentals/aws-multi-region-fundamentals.html).
 * Reported, per resource of each stack of a multi-region environment (IAM policies excepted):
 * - an image in an ECR registry of another region (`<account>.dkr.ecr.<region>.amazonaws.com`,
 *   https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html): replicate it
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html) and pull locally;
 *   EKS's own images have a registry in each region
 *   (https://docs.aws.amazon.com/eks/latest/userguide/add-ons-images.html);
 * - a Secrets Manager secret, SSM parameter or KMS key ARN of another region;
 * - `Fn::ImportValue` of an export made in another region, and the
 *   `Custom::CrossRegionExportReader` that `crossRegionReferences: true` creates (it reads SSM
 *   parameters written in the producing region: packages/aws-cdk-lib/core/lib/stack.ts,
 *   `crossRegionReferences`).
 */
export const regionIndependence: Rule = {
  id: 'region-independence',
  description:
    'in a multi-region environment, no region depends at run time on another (images, secrets, exports)',
  check(assembly: Assembly, options: CheckOptions): Finding[] {
    const findings: Finding[] = [];
    const exports = exportRegions(assembly);
    // what a Helm release of a chart asset installs is not in the template: read it rendered
    const rendered = new Map(
      kubectlResourcesOf(assembly)
        .filter((k) => k.helm && k.objects.length > 0)
        .map((k) => [`${k.stack.name}/${k.logicalId}`, k.objects.map((o) => o.body)]),
    );
    for (const stack of assembly.stacks) {
      const regions = new Set(
        sameEnvironment(assembly, stack, options).flatMap((s) => (s.region ? [s.region] : [])),
      );
      if (regions.size < 2 || !stack.region) continue;
      for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
        if (r.Type.startsWith('AWS::IAM::')) continue;
        const add = (message: string) =>
          findings.push({ rule: 'region-independence', stack: stack.name, logicalId, message });
        const env = `environment ${environmentOf(stack, options)} (${[...regions].sort().join(', ')})`;
        if (r.Type === 'Custom::CrossRegionExportReader') {
          add(
            `${r.Type} reads values another region exports (crossRegionReferences): ${stack.region} cannot be deployed or updated while that region is down, in ${env}. Fix: give each region its own copy (per-region stacks with their own resources)`,
          );
        }
        for (const problem of foreignReferences(
          [resolve(r.Properties ?? {}, stack), rendered.get(`${stack.name}/${logicalId}`) ?? []],
          stack,
          exports,
        )) {
          const [what, fix] = problem.split('. Fix: ');
          add(
            `${r.Type} ${what}, in ${env}: an outage there breaks ${stack.region} too. Fix: ${fix}`,
          );
        }
      }
    }
    return findings;
  },
};

const ECR = /\b(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\/[^\s"'\\,}]*)?/g;
const ARN = /\barn:aws[a-z-]*:(secretsmanager|ssm|kms):([a-z0-9-]+):\d{12}:[^\s"'\\,}]*/g;
const IMPORT = /\{\{import:([^}]+)\}\}/g;

function foreignReferences(
  value: unknown,
  stack: StackTemplate,
  exports: ReadonlyMap<string, string | undefined>,
): Set<string> {
  const problems = new Set<string>();
  for (const text of strings(value)) {
    for (const m of text.matchAll(ECR)) {
      if (m[2] !== stack.region) {
        problems.add(
          `pulls ${m[0]} from ECR in ${m[2]}, not ${stack.region}. Fix: replicate the repository to ${stack.region} (ECR replication) and use the regional URI`,
        );
      }
    }
    for (const m of text.matchAll(ARN)) {
      if (m[2] !== stack.region) {
        problems.add(
          `uses ${m[0]} (${m[1]}) in ${m[2]}, not ${stack.region}. Fix: replicate it to ${stack.region} and reference the regional copy`,
        );
      }
    }
    for (const m of text.matchAll(IMPORT)) {
      const region = exports.get(m[1]);
      if (region && region !== stack.region) {
        problems.add(
          `imports ${m[1]}, exported in ${region}. Fix: keep each region's values in its own stacks`,
        );
      }
    }
  }
  return problems;
}

/** Export name → region of the stack that exports it. */
function exportRegions(assembly: Assembly): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const stack of assembly.stacks) {
    for (const output of Object.values(stack.template.Outputs ?? {})) {
      if (output.Export) found.set(String(resolve(output.Export.Name, stack)), stack.region);
    }
  }
  return found;
}
