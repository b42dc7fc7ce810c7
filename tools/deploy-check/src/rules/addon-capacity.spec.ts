import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import type { CfnResource, Template } from '../types.ts';
import { addonCapacity } from './addon-capacity.ts';

// Add-ons with Deployments stay DEGRADED until a node exists:
//   terraform-aws-modules/terraform-aws-eks#1840 (node group dependency for add-ons) and #3001;
//   EKS user guide, "Amazon EKS add-ons": add-ons run on the nodes you provision
//   (https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html).
// resolveConflicts OVERWRITE takes over the self-managed vpc-cni/coredns/kube-proxy EKS installs:
//   https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html

const cluster = (auto?: { nodePools: string[] }): CfnResource => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    Name: 'c',
    Version: '1.36',
    ...(auto ? { ComputeConfig: { Enabled: true, NodePools: auto.nodePools } } : {}),
  },
});
const addon = (
  name: string,
  o: { dependsOn?: string[]; conflicts?: string } = {},
): CfnResource => ({
  Type: 'AWS::EKS::Addon',
  Properties: {
    ClusterName: { Ref: 'Cluster' },
    AddonName: name,
    ...(o.conflicts ? { ResolveConflicts: o.conflicts } : {}),
  },
  DependsOn: o.dependsOn,
});
const nodegroup: CfnResource = {
  Type: 'AWS::EKS::Nodegroup',
  Properties: { ClusterName: { Ref: 'Cluster' } },
};
const nodePool: CfnResource = {
  Type: 'Custom::AWSCDK-EKS-KubernetesResource',
  Properties: {
    ClusterName: { Ref: 'Cluster' },
    Manifest: JSON.stringify([
      { apiVersion: 'karpenter.sh/v1', kind: 'NodePool', metadata: { name: 'workloads' } },
    ]),
  },
};
const messages = (resources: Record<string, CfnResource>) =>
  addonCapacity
    .check(assemblyOf({ name: 's', template: { Resources: resources } as Template }), {})
    .map((f) => `${f.logicalId}: ${f.message}`);

describe('addon-capacity', () => {
  it('fires on an add-on with a Deployment created before the nodes (the pre-issue-11 add-ons)', () => {
    expect(
      messages({ Cluster: cluster(), Nodes: nodegroup, MetricsServer: addon('metrics-server') }),
    ).toEqual([
      expect.stringContaining(
        'MetricsServer: add-on metrics-server runs pods but is not created after any node capacity of cluster c (Nodes)',
      ),
    ]);
    expect(
      messages({
        Cluster: cluster(),
        Nodes: nodegroup,
        MetricsServer: addon('metrics-server', { dependsOn: ['Nodes'] }),
      }),
    ).toEqual([]);
  });

  it('counts a NodePool applied through the kubectl provider, and Auto Mode’s general-purpose pool', () => {
    const auto = cluster({ nodePools: ['system'] });
    expect(
      messages({ Cluster: auto, Pool: nodePool, Obs: addon('amazon-cloudwatch-observability') }),
    ).toEqual([
      expect.stringContaining(
        'Obs: add-on amazon-cloudwatch-observability runs pods but is not created after',
      ),
    ]);
    expect(
      messages({
        Cluster: auto,
        Pool: nodePool,
        Obs: addon('amazon-cloudwatch-observability', { dependsOn: ['Pool'] }),
      }),
    ).toEqual([]);
    expect(
      messages({
        Cluster: cluster({ nodePools: ['general-purpose', 'system'] }),
        Obs: addon('amazon-cloudwatch-observability'),
      }),
    ).toEqual([]);
  });

  it('needs nothing for DaemonSet-only add-ons', () => {
    expect(
      messages({
        Cluster: cluster({ nodePools: ['system'] }),
        Agent: addon('eks-pod-identity-agent'),
      }),
    ).toEqual([]);
  });

  it('fires on a pre-installed add-on that does not overwrite the self-managed one', () => {
    expect(messages({ Cluster: cluster(), Nodes: nodegroup, Cni: addon('vpc-cni') })).toEqual([
      expect.stringContaining('Cni: add-on vpc-cni has ResolveConflicts "NONE"'),
    ]);
    expect(
      messages({
        Cluster: cluster(),
        Nodes: nodegroup,
        Cni: addon('vpc-cni', { conflicts: 'OVERWRITE' }),
      }),
    ).toEqual([]);
  });
});
