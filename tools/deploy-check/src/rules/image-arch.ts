import { resolve, resourcesOfType, strings } from '../cfn.ts';
import {
  clustersOf,
  getPath,
  kubectlResourcesOf,
  type EksCluster,
  type KubectlResource,
} from '../eks.ts';
import type { Assembly, CheckOptions, Finding, Rule } from '../types.ts';
import { workflowBuilds } from '../workflow-platforms.ts';

/**
 * image-arch: the images the workflows build exist for every CPU architecture the cluster's nodes
 * may run; a node pulling an image without its architecture fails the container with
 * `exec format error` (https://docs.docker.com/build/building/multi-platform/).
 * Node architectures:
 * - AWS::EKS::Nodegroup `AmiType` (`AL2023_ARM_64_STANDARD`, `BOTTLEROCKET_ARM_64` → arm64;
 *   `*_x86_64*` → amd64: https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html),
 *   else its instance types (a `g` after the generation digit is Graviton:
 *   https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html), else amd64;
 * - EKS Auto Mode's built-in `general-purpose` pool is amd64 only; `system` is tainted
 *   `CriticalAddonsOnly` and runs no application pods
 *   (https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html);
 * - a `karpenter.sh` NodePool applied by kubectl: amd64 and arm64 unless a `kubernetes.io/arch`
 *   requirement narrows it (https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html).
 * Which images the workflows build: `options.builtImage`, by default images in a private ECR
 * registry of the stack's own account. The rule runs only when `options.workflows` is given.
 */
export const imageArch: Rule = {
  id: 'image-arch',
  description:
    "images the deploy workflow builds exist for every architecture of the cluster's nodes",
  check(assembly: Assembly, options: CheckOptions): Finding[] {
    if (!options.workflows?.length) return [];
    const builds = options.workflows.flatMap((w) => workflowBuilds(w));
    if (builds.length === 0) {
      throw new Error(
        `'workflows' (${options.workflows.join(', ')}) build no image (no docker/build-push-action step, no docker/podman/buildah build): pass the workflow that builds the deployed image`,
      );
    }
    const built = new Set(builds.flatMap((b) => b.architectures));
    const buildText = builds
      .map((b) => `${b.workflow} (${b.job}: ${b.architectures.join(', ')})`)
      .join('; ');
    const findings: Finding[] = [];
    const kubectl = kubectlResourcesOf(assembly);
    for (const cluster of clustersOf(assembly)) {
      const { stack } = cluster;
      const pattern =
        options.builtImage ??
        new RegExp(`^${stack.account ?? '\\d{12}'}\\.dkr\\.ecr\\.[^/]+\\.amazonaws\\.com/`);
      const mine = kubectl.filter(
        (r) => r.cluster?.stack === stack && r.cluster.logicalId === cluster.logicalId,
      );
      const images = new Set(
        mine.flatMap((r) =>
          [...strings(r.objects.map((o) => o.body)), ...imagesInValues(r.helm?.values)].filter(
            (s) => pattern.test(s),
          ),
        ),
      );
      if (images.size === 0) continue;
      for (const pool of nodePoolsOf(cluster, mine)) {
        const missing = pool.architectures.filter((a) => !built.has(a));
        if (missing.length === 0) continue;
        findings.push({
          rule: 'image-arch',
          stack: stack.name,
          logicalId: pool.logicalId,
          message: `${pool.what} runs ${pool.architectures.join(' and ')} nodes, but ${[...images].join(', ')} ${images.size > 1 ? 'are' : 'is'} built for ${[...built].join(', ')} only by ${buildText}: pods on ${missing.join(', ')} nodes fail with 'exec format error' and the rollout never completes. Fix: build linux/${[...new Set([...built, ...missing])].sort().join(',linux/')} (docker/build-push-action 'platforms'), or run nodes of the built architecture`,
        });
      }
    }
    return findings;
  },
};

/** Images named in Helm values (`repository` + `tag`, or any string that looks like one). */
function imagesInValues(values: string | undefined): string[] {
  if (!values) return [];
  try {
    return [...strings(JSON.parse(values))];
  } catch {
    return [];
  }
}

interface NodePool {
  readonly logicalId: string;
  readonly what: string;
  readonly architectures: readonly string[];
}

function nodePoolsOf(cluster: EksCluster, applied: readonly KubectlResource[]): NodePool[] {
  const { stack } = cluster;
  const pools: NodePool[] = [];
  for (const [logicalId, r] of resourcesOfType(stack, 'AWS::EKS::Nodegroup')) {
    const p = resolve(r.Properties ?? {}, stack) as Record<string, unknown>;
    const name = String(p.ClusterName);
    if (name !== `{{${cluster.logicalId}}}` && name !== cluster.name) continue;
    const amiType = typeof p.AmiType === 'string' ? p.AmiType : undefined;
    const types = (p.InstanceTypes as string[] | undefined) ?? [];
    const architectures =
      amiArch(amiType) ?? (types.length ? [...new Set(types.map(instanceArch))] : ['amd64']);
    pools.push({
      logicalId,
      what: `Nodegroup ${logicalId} (${amiType ? `AmiType ${amiType}` : `instance types ${types.join(', ') || 'default'}`})`,
      architectures,
    });
  }
  if (cluster.autoModeCompute && cluster.nodePools.includes('general-purpose')) {
    pools.push({
      logicalId: cluster.logicalId,
      what: `EKS Auto Mode's general-purpose node pool of ${cluster.logicalId}`,
      architectures: ['amd64'],
    });
  }
  const nodePools = applied.flatMap((r) =>
    r.objects
      .filter((o) => o.kind === 'NodePool' && o.apiVersion.startsWith('karpenter.sh/'))
      .map((o) => ({ r, o })),
  );
  for (const { r, o } of nodePools) {
    const requirements = (getPath(o.body, 'spec', 'template', 'spec', 'requirements') ?? []) as {
      key?: string;
      operator?: string;
      values?: string[];
    }[];
    let architectures = ['amd64', 'arm64'];
    for (const req of requirements.filter((q) => q.key === 'kubernetes.io/arch')) {
      if (req.operator === 'In')
        architectures = architectures.filter((a) => req.values?.includes(a));
      if (req.operator === 'NotIn')
        architectures = architectures.filter((a) => !req.values?.includes(a));
    }
    pools.push({
      logicalId: r.logicalId,
      what: `NodePool ${o.name}`,
      architectures,
    });
  }
  return pools;
}

/** Architecture of an EKS AMI type, when it says. */
export function amiArch(amiType: string | undefined): string[] | undefined {
  if (!amiType || amiType === 'CUSTOM') return undefined;
  if (/ARM_64/.test(amiType)) return ['arm64'];
  if (/x86_64|WINDOWS/i.test(amiType)) return ['amd64'];
  return undefined;
}

/** Architecture of an EC2 instance type: Graviton families carry a `g` after the generation. */
export function instanceArch(instanceType: string): string {
  const family = instanceType.split('.')[0];
  if (family === 'a1') return 'arm64';
  const suffix = /^[a-z]+\d+([a-z-]*)$/.exec(family)?.[1] ?? '';
  return suffix.includes('g') ? 'arm64' : 'amd64';
}
