import { asText, dependencyClosure, resolve, resolveText, resourcesOfType } from '../cfn.ts';
import { clusterNamed, clustersOf, getPath, kubectlResourcesOf, type EksCluster } from '../eks.ts';
import type { Assembly, CfnResource, Finding, Rule } from '../types.ts';

/**
 * Add-ons that are DaemonSets only: with no node they want no pod, and EKS reports them ACTIVE.
 * Every other add-on runs a Deployment (coredns, metrics-server, the CloudWatch operator, the EBS
 * CSI controller, …) that stays Pending, and the add-on DEGRADED, until a node can take it.
 * - vpc-cni (the `aws-node` DaemonSet) and kube-proxy (a DaemonSet on each node): EKS user guide,
 *   https://docs.aws.amazon.com/eks/latest/userguide/managing-vpc-cni.html and managing-kube-proxy.html;
 * - eks-pod-identity-agent: aws/eks-pod-identity-agent@d4dc0f3, charts/eks-pod-identity-agent
 *   (templates/daemonset.yaml, the only workload);
 * - aws-network-flow-monitoring-agent: "agent pods will be running on all of your Kubernetes
 *   cluster nodes" (CloudWatch-NetworkFlowMonitor-agents-kubernetes-eks.html);
 * - eks-node-monitoring-agent: "The agent runs as a DaemonSet on each node"
 *   (aws/eks-node-monitoring-agent README).
 */
export const DAEMONSET_ONLY_ADDONS: readonly string[] = [
  'vpc-cni',
  'kube-proxy',
  'eks-pod-identity-agent',
  'aws-network-flow-monitoring-agent',
  'eks-node-monitoring-agent',
];
/**
 * Add-ons EKS installs itself, self-managed, when it creates a cluster (unless
 * `BootstrapSelfManagedAddons` is false, and never under Auto Mode): the managed add-on must
 * take their objects over (`ResolveConflicts: OVERWRITE`) or its creation fails on the conflict.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html (resolveConflicts)
 */
export const SELF_MANAGED_AT_CREATION: readonly string[] = ['vpc-cni', 'coredns', 'kube-proxy'];
/** Resource types that bring nodes. */
const CAPACITY_TYPES = [
  'AWS::EKS::Nodegroup',
  'AWS::EKS::FargateProfile',
  'AWS::AutoScaling::AutoScalingGroup',
];

/**
 * addon-capacity: an EKS add-on that runs a Deployment is created after something that brings
 * nodes its pods can run on (a managed node group, a Fargate profile, an Auto Scaling group, a
 * Karpenter/Auto Mode `NodePool` applied through the kubectl provider), unless the cluster starts
 * with Auto Mode's `general-purpose` pool; and an add-on EKS pre-installs self-managed takes it
 * over with `ResolveConflicts: OVERWRITE`. Without the first, the add-on waits DEGRADED until
 * CloudFormation gives up (terraform-aws-modules/terraform-aws-eks#1840 and #3001: "this addon
 * needs at least 1 node available to deploy its pods"); without the second, it fails on the
 * objects EKS created.
 */
export const addonCapacity: Rule = {
  id: 'addon-capacity',
  description:
    'an add-on that runs pods comes after the nodes it needs; one EKS pre-installs self-managed overwrites it',
  check(assembly: Assembly): Finding[] {
    const findings: Finding[] = [];
    const clusters = clustersOf(assembly);
    const resources = kubectlResourcesOf(assembly);
    for (const stack of assembly.stacks) {
      for (const [logicalId, addon] of resourcesOfType(stack, 'AWS::EKS::Addon')) {
        const p = resolve(addon.Properties ?? {}, stack);
        const name = String(getPath(p, 'AddonName'));
        const cluster = clusterNamed(clusters, stack, asText(getPath(p, 'ClusterName') as string));
        const add = (message: string) =>
          findings.push({ rule: 'addon-capacity', stack: stack.name, logicalId, message });
        if (
          SELF_MANAGED_AT_CREATION.includes(name) &&
          cluster &&
          !cluster.autoModeCompute &&
          getPath(p, 'ResolveConflicts') !== 'OVERWRITE'
        ) {
          add(
            `add-on ${name} has ResolveConflicts ${JSON.stringify(getPath(p, 'ResolveConflicts') ?? 'NONE')}: EKS installed a self-managed ${name} with the cluster, so the add-on's creation fails on the conflict. Fix: ResolveConflicts: OVERWRITE`,
          );
        }
        if (DAEMONSET_ONLY_ADDONS.includes(name) || !cluster) continue;
        if (cluster.autoModeCompute && cluster.nodePools.includes('general-purpose')) continue;
        const before = dependencyClosure(stack, logicalId);
        const capacity = capacityOf(stack, cluster, clusters, resources);
        if (!capacity.some((id) => before.has(id))) {
          add(
            `add-on ${name} runs pods but is not created after any node capacity of cluster ${cluster.name}${capacity.length > 0 ? ` (${capacity.join(', ')})` : ''}: its pods stay Pending, the add-on DEGRADED, and the stack fails when CloudFormation stops waiting. Fix: make it depend on the node group or NodePool (addon.node.addDependency(...))`,
          );
        }
      }
    }
    return findings;
  },
};

/** Logical ids, in `stack`, of what brings nodes to `cluster`. */
function capacityOf(
  stack: Assembly['stacks'][number],
  cluster: EksCluster,
  clusters: readonly EksCluster[],
  resources: ReturnType<typeof kubectlResourcesOf>,
): string[] {
  const ofCluster = (r: CfnResource) =>
    r.Type === 'AWS::AutoScaling::AutoScalingGroup' ||
    clusterNamed(clusters, stack, resolveText(r.Properties?.ClusterName, stack))?.logicalId ===
      cluster.logicalId;
  return [
    ...resourcesOfType(stack, ...CAPACITY_TYPES)
      .filter(([, r]) => ofCluster(r))
      .map(([id]) => id),
    ...resources
      .filter(
        (r) =>
          r.stack === stack &&
          r.cluster?.logicalId === cluster.logicalId &&
          r.objects.some((o) => o.kind === 'NodePool'),
      )
      .map((r) => r.logicalId),
  ];
}
