import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ClusterAutoscaler } from './cluster-autoscaler.js';
import { HaVpc, type HaVpcProps } from './ha-vpc.js';

/** The newest version aws-cdk-lib supports with a published kubectl layer (v36; no v37 layer). */
export const DEFAULT_KUBERNETES_VERSION = eks.KubernetesVersion.V1_36;
/** AWS Load Balancer Controller version (aws-cdk-lib's newest with a bundled IAM policy). */
export const DEFAULT_ALB_CONTROLLER_VERSION = eks.AlbControllerVersion.V3_2_2;
/** Graviton general purpose: the best price/performance for a Node.js API. */
export const DEFAULT_INSTANCE_TYPES: readonly string[] = ['m7g.large'];

/** On-demand nodes: spot is an explicit cost choice (capacityType: 'spot'). */
export const DEFAULT_CAPACITY_TYPE = 'on-demand';
/** Root volume of each node, GiB, encrypted gp3: images and logs of a few dozen pods. */
export const DEFAULT_NODE_VOLUME_GIB = 50;
/**
 * IMDSv2 hop limit of the nodes: 2 lets pods that still use the instance metadata service reach
 * it through the node (and so the node role).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html
 */
export const NODE_IMDS_HOP_LIMIT = 2;

/** Managed node groups in the private subnets, spread over the zones. */
export interface ManagedNodesCapacity {
  readonly type: 'managed-nodes';
  /** @default ['m7g.large'] */
  readonly instanceTypes?: readonly string[];
  /** Nodes at least; at least one per zone for availability. */
  readonly minSize: number;
  readonly maxSize: number;
  /** @default minSize */
  readonly desiredSize?: number;
  /** @default 'on-demand' */
  readonly capacityType?: 'on-demand' | 'spot';
}

/** Fargate: no nodes to manage; pods of the listed namespaces run on Fargate (the seed's cost idea). */
export interface FargateCapacity {
  readonly type: 'fargate';
  /** Namespaces scheduled on Fargate (kube-system is always included). */
  readonly namespaces: readonly string[];
}

/** Options of {@link HaEksCluster}. */
export interface HaEksClusterProps {
  readonly clusterName: string;
  /** The VPC to create. */
  readonly vpc: HaVpcProps;
  /** IAM principal ARNs (roles, users) given cluster-admin through access entries. */
  readonly adminPrincipalArns: readonly string[];
  /**
   * IAM principal ARNs given read-only access (`AmazonEKSViewPolicy`), e.g. the CI deploy role
   * that checks rollouts.
   * @default []
   */
  readonly viewerPrincipalArns?: readonly string[];
  /**
   * CIDRs allowed to reach the public API endpoint; none: the endpoint is private only.
   * @default [] (private)
   */
  readonly publicEndpointCidrs?: readonly string[];
  readonly capacity: ManagedNodesCapacity | FargateCapacity;
  /** @default KubernetesVersion.V1_36 (with KubectlV36Layer) */
  readonly version?: eks.KubernetesVersion;
  /** @default AlbControllerVersion.V3_2_2 */
  readonly albControllerVersion?: eks.AlbControllerVersion;
  /** Tags on every resource (project, environment, owner, cost centre). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Managed add-on versions, e.g. `{ 'vpc-cni': 'v1.20.4-eksbuild.1' }`: pin them per environment
   * and promote them like code.
   * @default EKS's default version for the cluster's Kubernetes version
   * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
   */
  readonly addonVersions?: Readonly<Partial<Record<ManagedAddon, string>>>;
}

/** The managed add-ons the cluster installs. */
export type ManagedAddon =
  'vpc-cni' | 'eks-pod-identity-agent' | 'metrics-server' | 'amazon-cloudwatch-observability';

const ALL_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * An EKS cluster for one environment whose defaults are the HA and security practice: a VPC
 * over 2+ zones with a NAT per zone, private nodes, access entries (authentication mode API) for
 * the listed admins, the endpoint private or public only to listed CIDRs, every control-plane log
 * type, secrets encrypted with a rotating KMS key, IMDSv2 required on nodes, and the add-ons an
 * HA service needs: AWS Load Balancer Controller, metrics-server (for the HPA), the Cluster
 * Autoscaler, the VPC CNI with network policy enforcement, EKS Pod Identity and Container Insights.
 */
export class HaEksCluster extends Construct {
  readonly network: HaVpc;
  readonly cluster: eks.Cluster;
  readonly secretsKey: kms.Key;
  /** The managed node group, when capacity is managed nodes. */
  readonly nodegroup?: eks.Nodegroup;
  /** The autoscaler, when capacity is managed nodes. */
  readonly autoscaler?: ClusterAutoscaler;

  constructor(scope: Construct, id: string, props: HaEksClusterProps) {
    super(scope, id);
    if (!/^[A-Za-z][A-Za-z0-9-]{0,99}$/.test(props.clusterName)) {
      throw new Error(
        `'clusterName' (${props.clusterName}) must start with a letter and hold only letters, digits and '-' (at most 100): e.g. 'stayup-live'`,
      );
    }
    if (props.adminPrincipalArns.length === 0) {
      throw new Error(
        `'adminPrincipalArns' ([]) must list at least one IAM principal: with authentication mode API ` +
          `and no creator admin, nobody could manage the cluster`,
      );
    }
    for (const [field, arns] of [
      ['adminPrincipalArns', props.adminPrincipalArns],
      ['viewerPrincipalArns', props.viewerPrincipalArns ?? []],
    ] as const) {
      for (const [i, arn] of arns.entries()) {
        if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(arn)) {
          throw new Error(
            `'${field}[${i}]' (${arn}) must be an IAM role or user ARN: e.g. 'arn:aws:iam::123456789012:role/platform-admin'`,
          );
        }
      }
    }
    const capacity = props.capacity;
    if (capacity.type === 'managed-nodes') {
      const zones = props.vpc.availabilityZones.length;
      if (capacity.minSize < zones) {
        throw new Error(
          `'capacity.minSize' (${capacity.minSize}) must be at least the number of zones (${zones}): ` +
            `one node per zone, or losing a zone loses all capacity; raise minSize`,
        );
      }
      if (capacity.maxSize < capacity.minSize) {
        throw new Error(
          `'capacity.maxSize' (${capacity.maxSize}) must be at least 'capacity.minSize' (${capacity.minSize}): raise maxSize`,
        );
      }
    }

    this.network = new HaVpc(this, 'Network', props.vpc);
    this.secretsKey = new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes secrets in ${props.clusterName}`,
      enableKeyRotation: true,
    });
    const publicCidrs = [...(props.publicEndpointCidrs ?? [])];
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: props.version ?? DEFAULT_KUBERNETES_VERSION,
      kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer'),
      vpc: this.network.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacity: 0,
      authenticationMode: eks.AuthenticationMode.API,
      bootstrapClusterCreatorAdminPermissions: false,
      endpointAccess:
        publicCidrs.length > 0
          ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...publicCidrs)
          : eks.EndpointAccess.PRIVATE,
      clusterLogging: ALL_LOG_TYPES,
      secretsEncryptionKey: this.secretsKey,
      albController: { version: props.albControllerVersion ?? DEFAULT_ALB_CONTROLLER_VERSION },
      tags: { ...props.tags },
    });
    props.adminPrincipalArns.forEach((arn, i) =>
      this.cluster.grantAccess(`Admin${i}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        }),
      ]),
    );

    (props.viewerPrincipalArns ?? []).forEach((arn, i) =>
      this.cluster.grantAccess(`Viewer${i}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        }),
      ]),
    );

    if (capacity.type === 'managed-nodes') {
      const launchTemplate = new ec2.LaunchTemplate(this, 'NodeLaunchTemplate', {
        requireImdsv2: true,
        httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT,
        blockDevices: [
          {
            deviceName: '/dev/xvda',
            volume: ec2.BlockDeviceVolume.ebs(DEFAULT_NODE_VOLUME_GIB, {
              encrypted: true,
              volumeType: ec2.EbsDeviceVolumeType.GP3,
            }),
          },
        ],
      });
      this.nodegroup = this.cluster.addNodegroupCapacity('Nodes', {
        nodegroupName: `${props.clusterName}-nodes`,
        instanceTypes: (capacity.instanceTypes ?? DEFAULT_INSTANCE_TYPES).map(
          (t) => new ec2.InstanceType(t),
        ),
        amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
        minSize: capacity.minSize,
        maxSize: capacity.maxSize,
        desiredSize: capacity.desiredSize ?? capacity.minSize,
        capacityType:
          (capacity.capacityType ?? DEFAULT_CAPACITY_TYPE) === 'spot'
            ? eks.CapacityType.SPOT
            : eks.CapacityType.ON_DEMAND,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        launchTemplateSpec: {
          id: launchTemplate.launchTemplateId as string,
          version: launchTemplate.latestVersionNumber,
        },
      });
      // Container Insights' agent writes metrics and logs with the node role
      this.nodegroup.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'),
      );
      this.autoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', {
        cluster: this.cluster,
        clusterName: props.clusterName,
      });
    } else {
      this.cluster.addFargateProfile('Fargate', {
        selectors: [
          { namespace: 'kube-system' },
          ...capacity.namespaces.map((namespace) => ({ namespace })),
        ],
        subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    }

    const addon = (
      id: string,
      addonName: ManagedAddon,
      configurationValues?: Record<string, string>,
    ) =>
      new eks.Addon(this, id, {
        cluster: this.cluster,
        addonName,
        addonVersion: props.addonVersions?.[addonName],
        configurationValues,
      });
    // Without the network policy agent, NetworkPolicies are accepted and ignored on EKS.
    addon('VpcCni', 'vpc-cni', { enableNetworkPolicy: 'true' });
    addon('PodIdentityAgent', 'eks-pod-identity-agent');
    addon('MetricsServer', 'metrics-server');
    if (capacity.type === 'managed-nodes')
      addon('CloudWatchObservability', 'amazon-cloudwatch-observability');

    for (const [key, value] of Object.entries(props.tags)) Tags.of(this).add(key, value);
  }
}
