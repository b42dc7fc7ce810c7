import { renderChartAsset } from './helm-render.ts';
import { asText, resolve, resolveText, resourcesOfType, token } from './cfn.ts';
import type { Assembly, StackTemplate } from './types.ts';

/**
 * The EKS pieces of a template, for both CDK modules:
 * - `aws-cdk-lib/aws-eks`: the cluster is a `Custom::AWSCDK-EKS-Cluster` whose `Config` is the
 *   EKS CreateCluster request (camelCase) and whose `AssumeRoleArn` is the creation role;
 * - `aws-cdk-lib/aws-eks-v2`: a native `AWS::EKS::Cluster` (PascalCase properties).
 * Kubernetes objects go through the kubectl provider's custom resources, whose properties are read
 * by the handlers in packages/@aws-cdk/custom-resource-handlers/lib/aws-eks/kubectl-handler/
 * (apply/__init__.py: `Manifest`, `ClusterName`, `RoleArn`; helm/__init__.py: `Chart`,
 * `Repository`, `Namespace`, `CreateNamespace` (no namespace is created when it is absent),
 * `SkipCrds`, `Values`).
 */

export const KUBECTL_TYPES = {
  'Custom::AWSCDK-EKS-KubernetesResource': 'manifest',
  'Custom::AWSCDK-EKS-HelmChart': 'helm',
  'Custom::AWSCDK-EKS-KubernetesPatch': 'patch',
  'Custom::AWSCDK-EKS-KubernetesObjectValue': 'object-value',
} as const;

/** An EKS cluster defined in the assembly. */
export interface EksCluster {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  /** `Custom::AWSCDK-EKS-Cluster` (aws-eks) or `AWS::EKS::Cluster` (aws-eks-v2, or L1). */
  readonly type: string;
  /** Resolved name, or a token when CloudFormation names it. */
  readonly name: string;
  /** Kubernetes `major.minor`. */
  readonly version?: string;
  readonly authenticationMode?: string;
  /** Whether EKS gives the creating principal cluster-admin (EKS API default: true). */
  readonly bootstrapCreatorAdmin: boolean;
  /** aws-eks: the role the cluster handler creates the cluster with (its "creator"). */
  readonly creatorRoleArn?: string;
  /** EKS Auto Mode: compute (`ComputeConfig.Enabled`). */
  readonly autoModeCompute: boolean;
  /** EKS Auto Mode: load balancing (`KubernetesNetworkConfig.ElasticLoadBalancing.Enabled`). */
  readonly autoModeLoadBalancing: boolean;
  /** Built-in Auto Mode node pools enabled (`system`, `general-purpose`). */
  readonly nodePools: readonly string[];
}

/** One object of a manifest applied by the kubectl provider. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Position in its manifest (kubectl applies in order). */
  readonly index: number;
  readonly body: Record<string, unknown>;
}

/** A Helm release installed by the kubectl provider. */
export interface HelmRelease {
  readonly chart: string;
  readonly repository?: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly skipCrds: boolean;
  readonly values: string;
}

/** A custom resource of the kubectl provider. */
export interface KubectlResource {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly type: string;
  readonly kind: (typeof KUBECTL_TYPES)[keyof typeof KUBECTL_TYPES];
  /** The cluster it targets, when defined in this assembly. */
  readonly cluster?: EksCluster;
  /** Resolved `ClusterName`. */
  readonly clusterName: string;
  /** Resolved `RoleArn` (aws-eks: the role the handler assumes), if set. */
  readonly roleArn?: string;
  readonly objects: readonly KubeObject[];
  /** Set when `Manifest` could not be read as JSON. */
  readonly unreadableManifest?: boolean;
  readonly helm?: HelmRelease;
}

const get = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
    o,
  );
const truthy = (v: unknown) => v === true || v === 'true';

/** Every EKS cluster of the assembly. */
export function clustersOf(assembly: Assembly): EksCluster[] {
  const clusters: EksCluster[] = [];
  for (const stack of assembly.stacks) {
    for (const [logicalId, r] of resourcesOfType(stack, 'Custom::AWSCDK-EKS-Cluster')) {
      const config = resolve(r.Properties?.Config ?? {}, stack);
      clusters.push({
        stack,
        logicalId,
        type: r.Type,
        name: asText(get(config, 'name') ?? token(logicalId)),
        version: get(config, 'version') as string | undefined,
        authenticationMode: get(config, 'accessConfig', 'authenticationMode') as string,
        bootstrapCreatorAdmin:
          get(config, 'accessConfig', 'bootstrapClusterCreatorAdminPermissions') !== false,
        creatorRoleArn: r.Properties?.AssumeRoleArn
          ? resolveText(r.Properties.AssumeRoleArn, stack)
          : undefined,
        autoModeCompute: truthy(get(config, 'computeConfig', 'enabled')),
        autoModeLoadBalancing: truthy(
          get(config, 'kubernetesNetworkConfig', 'elasticLoadBalancing', 'enabled'),
        ),
        nodePools: (get(config, 'computeConfig', 'nodePools') as string[]) ?? [],
      });
    }
    for (const [logicalId, r] of resourcesOfType(stack, 'AWS::EKS::Cluster')) {
      const p = resolve(r.Properties ?? {}, stack);
      clusters.push({
        stack,
        logicalId,
        type: r.Type,
        name: asText(get(p, 'Name') ?? token(logicalId)),
        version: get(p, 'Version') as string | undefined,
        authenticationMode: get(p, 'AccessConfig', 'AuthenticationMode') as string,
        bootstrapCreatorAdmin:
          get(p, 'AccessConfig', 'BootstrapClusterCreatorAdminPermissions') !== false,
        autoModeCompute: truthy(get(p, 'ComputeConfig', 'Enabled')),
        autoModeLoadBalancing: truthy(
          get(p, 'KubernetesNetworkConfig', 'ElasticLoadBalancing', 'Enabled'),
        ),
        nodePools: (get(p, 'ComputeConfig', 'NodePools') as string[]) ?? [],
      });
    }
  }
  return clusters;
}

/**
 * The cluster a resource's `ClusterName` names: a Ref to a cluster of the same stack, or the
 * same resolved name anywhere in the assembly.
 */
export function clusterNamed(
  clusters: readonly EksCluster[],
  stack: StackTemplate,
  clusterName: string,
): EksCluster | undefined {
  return (
    clusters.find((c) => c.stack === stack && clusterName === token(c.logicalId)) ??
    clusters.find((c) => c.stack === stack && c.name === clusterName) ??
    clusters.find((c) => !c.name.startsWith('{{') && c.name === clusterName)
  );
}

/** Every kubectl provider custom resource of the assembly, with its objects. */
export function kubectlResourcesOf(assembly: Assembly): KubectlResource[] {
  const clusters = clustersOf(assembly);
  const found: KubectlResource[] = [];
  for (const stack of assembly.stacks) {
    for (const [logicalId, r] of resourcesOfType(stack, ...Object.keys(KUBECTL_TYPES))) {
      const p = r.Properties ?? {};
      const clusterName = resolveText(p.ClusterName, stack);
      const kind = KUBECTL_TYPES[r.Type as keyof typeof KUBECTL_TYPES];
      const values = p.Values === undefined ? '' : resolveText(p.Values, stack);
      const namespace = p.Namespace ? resolveText(p.Namespace, stack) : 'default';
      const manifest =
        kind === 'manifest'
          ? readManifest(resolveText(p.Manifest, stack))
          : kind === 'helm' && p.ChartAssetURL !== undefined
            ? toObjects(
                renderChartAsset(assembly.directory, resolveText(p.ChartAssetURL, stack), {
                  name: p.Release ? resolveText(p.Release, stack) : logicalId.toLowerCase(),
                  namespace,
                  values,
                }) ?? [],
              )
            : [];
      found.push({
        stack,
        logicalId,
        type: r.Type,
        kind,
        clusterName,
        cluster: clusterNamed(clusters, stack, clusterName),
        roleArn: p.RoleArn === undefined ? undefined : resolveText(p.RoleArn, stack),
        objects: manifest ?? [],
        unreadableManifest: manifest === undefined,
        helm:
          kind === 'helm'
            ? {
                chart: resolveText(p.Chart ?? p.ChartAssetURL, stack),
                repository: p.Repository ? resolveText(p.Repository, stack) : undefined,
                namespace,
                createNamespace: truthy(p.CreateNamespace),
                skipCrds: truthy(p.SkipCrds),
                values,
              }
            : undefined,
      });
    }
  }
  return found;
}

function readManifest(text: string): KubeObject[] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  return toObjects(list);
}

/** Parsed manifests (a List's items inlined) as objects with their apply index. */
function toObjects(list: unknown[]): KubeObject[] {
  return list
    .filter((o): o is Record<string, unknown> => typeof o === 'object' && o !== null)
    .flatMap((o) => (o.kind === 'List' && Array.isArray(o.items) ? o.items : [o]))
    .map((body: Record<string, unknown>, index) => ({
      apiVersion: String(body.apiVersion),
      kind: String(body.kind),
      name: get(body, 'metadata', 'name') as string | undefined,
      namespace: get(body, 'metadata', 'namespace') as string | undefined,
      index,
      body,
    }));
}

/** `group/version` → [group, version]; the core group is `''`. */
export function splitApiVersion(apiVersion: string): [string, string] {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/** A readable name for an object: `Kind namespace/name`. */
export const describeObject = (o: KubeObject) =>
  `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? '(unnamed)'}`;

export { get as getPath };
