import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** CPU architectures the nodes may run: both, so the scheduler can pick the cheaper. */
export const DEFAULT_NODE_ARCHITECTURES: readonly NodeArchitecture[] = ['arm64', 'amd64'];
/** On-demand only: spot is an explicit cost choice. */
export const DEFAULT_CAPACITY_TYPES: readonly CapacityType[] = ['on-demand'];
/** General purpose, compute and memory families: what an HTTP API runs well on. */
export const DEFAULT_INSTANCE_CATEGORIES: readonly string[] = ['c', 'm', 'r'];
/** Instance generations after 5 (Graviton 2 and Nitro): older ones cost more per request. */
export const DEFAULT_MIN_INSTANCE_GENERATION = 5;
/** Upper bound of the pool's total vCPUs: a runaway scale-out stops there. */
export const DEFAULT_MAX_VCPUS = 64;
/** Name of the NodeClass and NodePool this construct creates. */
export const NODE_POOL_NAME = 'ha-workloads';

export type NodeArchitecture = 'arm64' | 'amd64';
export type CapacityType = 'on-demand' | 'spot';

/** Options of {@link AutoModeCompute}. */
export interface AutoModeComputeProps {
  readonly cluster: eks.Cluster;
  /** @default ['arm64', 'amd64'] (the image must be built for each: see `architectures`) */
  readonly architectures?: readonly NodeArchitecture[];
  /** @default ['on-demand'] */
  readonly capacityTypes?: readonly CapacityType[];
  /** @default ['c', 'm', 'r'] */
  readonly instanceCategories?: readonly string[];
  /** @default 64 */
  readonly maxVcpus?: number;
}

/**
 * The capacity the workloads run on under EKS Auto Mode: a NodeClass with network policy
 * enforcement and a NodePool using it. Auto Mode enforces NetworkPolicies only on nodes of a
 * NodeClass with `networkPolicy` set, once the `amazon-vpc-cni` ConfigMap turns the network
 * policy controller on (https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html); the
 * built-in general-purpose pool cannot carry that setting, so it is not enabled and workloads land
 * here. A custom NodeClass's node role needs its own EC2 access entry with
 * AmazonEKSAutoNodePolicy (https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html,
 * "Create node class access entry"), created before the NodeClass.
 */
export class AutoModeCompute extends Construct {
  /** The node role of the pool. */
  readonly nodeRole: iam.Role;
  /** The architectures the pool may launch: the image must exist for each. */
  readonly architectures: readonly NodeArchitecture[];
  /** ConfigMap, NodeClass and NodePool, applied in that order. */
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: AutoModeComputeProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.architectures = props.architectures ?? DEFAULT_NODE_ARCHITECTURES;
    const capacityTypes = props.capacityTypes ?? DEFAULT_CAPACITY_TYPES;
    const maxVcpus = props.maxVcpus ?? DEFAULT_MAX_VCPUS;
    nonEmpty('architectures', this.architectures, ['arm64', 'amd64']);
    nonEmpty('capacityTypes', capacityTypes, ['on-demand', 'spot']);
    if (!Number.isInteger(maxVcpus) || maxVcpus < 2) {
      throw new Error(`'maxVcpus' (${maxVcpus}) must be a whole number of at least 2: e.g. 64`);
    }
    // https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodeMinimalPolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });
    const accessEntry = new eks.AccessEntry(this, 'NodeAccess', {
      cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2,
      accessPolicies: [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSAutoNodePolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        }),
      ],
    });
    this.manifest = cluster.addManifest(
      'HaWorkloadNodes',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'amazon-vpc-cni', namespace: 'kube-system' },
        data: { 'enable-network-policy-controller': 'true' },
      },
      {
        apiVersion: 'eks.amazonaws.com/v1',
        kind: 'NodeClass',
        metadata: { name: NODE_POOL_NAME },
        // No IMDS setting, because there is none to set: "EKS Auto Mode enforces IMDSv2 with a
        // hop limit of 1 by default [...] This default configuration cannot be modified in Auto
        // Mode"; a Pod reaches the node's instance metadata (and its role) only with
        // `hostNetwork: true` (https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html,
        // "Instance Metadata Service"). Pods get AWS credentials from Pod Identity instead.
        spec: {
          role: this.nodeRole.roleName,
          networkPolicy: 'DefaultAllow',
          networkPolicyEventLogs: 'Disabled',
        },
      },
      {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: NODE_POOL_NAME },
        spec: {
          template: {
            spec: {
              nodeClassRef: { group: 'eks.amazonaws.com', kind: 'NodeClass', name: NODE_POOL_NAME },
              requirements: [
                { key: 'kubernetes.io/arch', operator: 'In', values: [...this.architectures] },
                { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...capacityTypes] },
                {
                  key: 'eks.amazonaws.com/instance-category',
                  operator: 'In',
                  values: [...(props.instanceCategories ?? DEFAULT_INSTANCE_CATEGORIES)],
                },
                {
                  key: 'eks.amazonaws.com/instance-generation',
                  operator: 'Gt',
                  values: [String(DEFAULT_MIN_INSTANCE_GENERATION - 1)],
                },
              ],
            },
          },
          limits: { cpu: String(maxVcpus) },
          disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' },
        },
      },
    );
    this.manifest.node.addDependency(accessEntry);
  }
}

function nonEmpty<T extends string>(name: string, values: readonly T[], allowed: readonly T[]) {
  const wrong = values.filter((v) => !allowed.includes(v));
  if (values.length === 0 || wrong.length > 0) {
    throw new Error(
      `'${name}' (${JSON.stringify(values)}) must list one or more of ${allowed.join(', ')}`,
    );
  }
}
