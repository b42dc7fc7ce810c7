import { dependencyClosure, resolve, resolveText, resourcesOfType } from '../cfn.ts';
import { clusterNamed, clustersOf, getPath, kubectlResourcesOf, type EksCluster } from '../eks.ts';
import type { Assembly, Finding, Rule, StackTemplate } from '../types.ts';
import { describeValue } from './describe.ts';

/**
 * kubectl-access: every resource the kubectl provider applies runs as a principal with a
 * cluster-admin access entry on its cluster, and is created after that entry.
 *
 * Who the principal is:
 * - aws-eks: the handler assumes the resource's `RoleArn` before it talks to the cluster
 *   (packages/@aws-cdk/custom-resource-handlers/lib/aws-eks/kubectl-handler/apply/__init__.py
 *   lines 27-37 at 332fe3a: `role_arn = props['RoleArn']`, `aws eks update-kubeconfig --role-arn`;
 *   helm/__init__.py does the same), and `RoleArn` is `provider.roleArn`, the cluster's
 *   `kubectlRole` (packages/aws-cdk-lib/aws-eks/lib/kubectl-provider.ts:
 *   `this.roleArn = cluster.kubectlRole.roleArn`; k8s-manifest.ts, helm-chart.ts, k8s-patch.ts,
 *   k8s-object-value.ts: `RoleArn: provider.roleArn`), which is the cluster creation role unless
 *   set. aws-eks only adds an access entry for `mastersRole`.
 * - aws-eks-v2: no `RoleArn`; the handler Lambda runs with its own execution role, which the
 *   cluster grants cluster-admin: packages/aws-cdk-lib/aws-eks-v2/lib/cluster.ts,
 *   `this._clusterAdminAccess = this.grantClusterAdmin('ClusterAdminRoleAccess',
 *   this._kubectlProvider?.role!.roleArn)` followed by
 *   `this._kubectlReadyBarrier.node.addDependency(this._clusterAdminAccess)`, and every
 *   resource depends on the barrier (kubectl-provider.ts, `getKubectlProvider`:
 *   `cluster._dependOnKubectlBarrier(scope)`). The service token is the Provider framework's
 *   onEvent function, which calls the handler named by its `USER_ON_EVENT_FUNCTION_ARN`
 *   (packages/aws-cdk-lib/custom-resources/lib/provider-framework/provider.ts).
 * - The cluster creator is cluster-admin only when `bootstrapClusterCreatorAdminPermissions`
 *   is not false (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html),
 *   or in CONFIG_MAP mode (https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html).
 * - Access entries and access policies:
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html,
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 *   (AmazonEKSClusterAdminPolicy, scope `cluster`).
 */
export const kubectlAccess: Rule = {
  id: 'kubectl-access',
  description:
    'every kubectl provider resource runs as a principal with a cluster-admin access entry on its cluster, and depends on it',
  check(assembly: Assembly): Finding[] {
    const findings: Finding[] = [];
    const entries = accessEntriesOf(assembly);
    for (const r of kubectlResourcesOf(assembly)) {
      const finding = (message: string) =>
        findings.push({
          rule: 'kubectl-access',
          stack: r.stack.name,
          logicalId: r.logicalId,
          message,
        });
      const principal = r.roleArn ?? handlerRoleArn(r.stack, r.logicalId);
      const clusterText = r.cluster ? r.cluster.logicalId : describeValue(r.clusterName);
      if (!principal) {
        finding(
          `${r.type}: cannot tell which principal its kubectl handler runs as (no RoleArn, and the service token is not a Lambda function of this stack): check it has a cluster-admin access entry on ${clusterText}, then ignore this finding with that reason`,
        );
        continue;
      }
      if (r.cluster && isCreatorAdmin(r.cluster, principal)) continue;
      const entry = entries.find(
        (e) =>
          e.principal === principal &&
          e.clusterAdmin &&
          (e.cluster && r.cluster
            ? sameCluster(e.cluster, r.cluster)
            : e.clusterName === r.clusterName),
      );
      if (!entry) {
        finding(
          `${r.type} is applied by kubectl as ${describeValue(principal)}, which has no AWS::EKS::AccessEntry with AmazonEKSClusterAdminPolicy (scope cluster) on ${clusterText}${creatorNote(r.cluster, principal)}: EKS answers Unauthorized and the stack rolls back. ` +
            `Fix: grant that principal cluster-admin (cluster.grantAccess(id, role.roleArn, [AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: AccessScopeType.CLUSTER })])) and make this resource depend on the entry; aws-eks-v2's kubectl provider does both by construction`,
        );
        continue;
      }
      if (
        entry.stack === r.stack &&
        !dependencyClosure(r.stack, r.logicalId).has(entry.logicalId)
      ) {
        finding(
          `${r.type} does not depend on ${entry.logicalId}, the access entry that lets ${describeValue(principal)} into ${clusterText}: CloudFormation may create it first and EKS answers Unauthorized. Fix: resource.node.addDependency(accessEntry)`,
        );
      }
    }
    return findings;
  },
};

interface AccessEntryInfo {
  readonly stack: StackTemplate;
  readonly logicalId: string;
  readonly principal: string;
  readonly clusterName: string;
  readonly cluster?: EksCluster;
  readonly clusterAdmin: boolean;
}

function accessEntriesOf(assembly: Assembly): AccessEntryInfo[] {
  const clusters = clustersOf(assembly);
  return assembly.stacks.flatMap((stack) =>
    resourcesOfType(stack, 'AWS::EKS::AccessEntry').map(([logicalId, r]) => {
      const p = resolve(r.Properties ?? {}, stack) as Record<string, unknown>;
      const clusterName = String(p.ClusterName);
      const policies = (p.AccessPolicies ?? []) as unknown[];
      return {
        stack,
        logicalId,
        principal: String(p.PrincipalArn),
        clusterName,
        cluster: clusterNamed(clusters, stack, clusterName),
        clusterAdmin: policies.some(
          (a) =>
            String(getPath(a, 'PolicyArn')).endsWith(
              ':cluster-access-policy/AmazonEKSClusterAdminPolicy',
            ) && getPath(a, 'AccessScope', 'Type') === 'cluster',
        ),
      };
    }),
  );
}

const sameCluster = (a: EksCluster, b: EksCluster) =>
  a.stack.name === b.stack.name && a.logicalId === b.logicalId;

/** The creator of an aws-eks cluster is cluster-admin unless the bootstrap grant is turned off. */
function isCreatorAdmin(cluster: EksCluster, principal: string): boolean {
  if (cluster.creatorRoleArn !== principal) return false;
  return (
    cluster.bootstrapCreatorAdmin || (cluster.authenticationMode ?? 'CONFIG_MAP') === 'CONFIG_MAP'
  );
}

function creatorNote(cluster: EksCluster | undefined, principal: string): string {
  if (cluster?.creatorRoleArn !== principal) return '';
  return ` (it created the cluster, but with authenticationMode ${cluster.authenticationMode} and bootstrapClusterCreatorAdminPermissions false the creator gets no access)`;
}

/**
 * aws-eks-v2: the role of the Lambda function behind the service token (through the Provider
 * framework's `USER_ON_EVENT_FUNCTION_ARN`).
 */
function handlerRoleArn(stack: StackTemplate, logicalId: string): string | undefined {
  const resources = stack.template.Resources ?? {};
  let arn = resolveText(resources[logicalId]?.Properties?.ServiceToken, stack);
  for (let hops = 0; hops < 3; hops++) {
    const fn = /^\{\{([^.}]+)\.Arn\}\}$/.exec(arn)?.[1];
    const resource = fn ? resources[fn] : undefined;
    if (resource?.Type !== 'AWS::Lambda::Function') return undefined;
    const next = getPath(
      resource.Properties,
      'Environment',
      'Variables',
      'USER_ON_EVENT_FUNCTION_ARN',
    );
    if (next === undefined) {
      const role = resource.Properties?.Role;
      return role === undefined ? undefined : resolveText(role, stack);
    }
    arn = resolveText(next, stack);
  }
  return undefined;
}
