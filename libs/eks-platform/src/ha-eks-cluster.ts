import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AutoModeCompute, type CapacityType, type NodeArchitecture } from './auto-mode-compute.js';
import {
  CLOUDWATCH_OBSERVABILITY_ADDON,
  ClusterObservability,
  type ClusterObservabilityProps,
} from './cluster-observability.js';
import { HaVpc, type HaVpcProps } from './ha-vpc.js';
import { LoadBalancerController } from './load-balancer-controller.js';

/**
 * The newest Kubernetes version whose kubectl layer is published (v36; aws-eks-v2 lists 1.37,
 * but no v37 layer exists, and the kubectl handler needs one).
 */
export const DEFAULT_KUBERNETES_VERSION = eks.KubernetesVersion.V1_36;
/**
 * Auto Mode's built-in pools this cluster enables: only `system` (tainted for cluster add-ons).
 * Workloads run on {@link AutoModeCompute}'s pool, whose NodeClass enforces network policies;
 * the built-in `general-purpose` pool cannot.
 */
export const AUTO_MODE_BUILT_IN_POOLS: readonly string[] = ['system'];

/** Capacity of the cluster: EKS Auto Mode (AWS runs compute, load balancing, networking, DNS). */
export interface AutoModeCapacity {
  readonly type: 'auto-mode';
  /** @default ['arm64', 'amd64'] */
  readonly architectures?: readonly NodeArchitecture[];
  /** @default ['on-demand'] */
  readonly capacityTypes?: readonly CapacityType[];
  /** @default 64 */
  readonly maxVcpus?: number;
}

/** The capacity unless told otherwise: Auto Mode with the pool's defaults. */
export const DEFAULT_CAPACITY: AutoModeCapacity = { type: 'auto-mode' };

/** Options of {@link HaEksCluster}. */
export interface HaEksClusterProps {
  readonly clusterName: string;
  /** The VPC to create. */
  readonly vpc: HaVpcProps;
  /** IAM principal ARNs (roles, users) given cluster-admin through access entries. */
  readonly adminPrincipalArns: readonly string[];
  /**
   * CIDRs allowed to reach the public API endpoint; none: the endpoint is private only. The
   * cluster's own kubectl handler runs in the VPC and needs no public endpoint.
   * @default [] (private)
   */
  readonly publicEndpointCidrs?: readonly string[];
  /** @default { type: 'auto-mode' } */
  readonly capacity?: AutoModeCapacity;
  /** @default KubernetesVersion.V1_36 (with KubectlV36Layer) */
  readonly version?: eks.KubernetesVersion;
  /** @default AlbControllerVersion.V3_2_2 */
  readonly loadBalancerControllerVersion?: eks.AlbControllerVersion;
  /** Tags on every resource (project, environment, owner, cost centre). */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Managed add-on versions, e.g. `{ 'metrics-server': 'v0.8.0-eksbuild.1' }`: pin them per
   * environment and promote them like code.
   * @default EKS's default version for the cluster's Kubernetes version
   * @see https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html
   */
  readonly addonVersions?: Readonly<Partial<Record<ManagedAddon, string>>>;
  /**
   * Container Insights, container logs and the pods' Prometheus metrics in CloudWatch
   * ({@link ClusterObservability}); `false` installs none of it (then nothing scrapes the
   * workloads' metrics ports unless another collector is installed).
   * @default {} (the add-on, scraping every pod's `metrics` port each minute)
   */
  readonly observability?: Omit<ClusterObservabilityProps, 'cluster' | 'addonVersion'> | false;
}

/**
 * The managed add-ons the cluster installs on top of Auto Mode. Auto Mode runs the VPC CNI,
 * kube-proxy, CoreDNS, the EBS CSI driver and the Pod Identity agent itself, but not
 * metrics-server, which the HorizontalPodAutoscaler needs, nor the CloudWatch agents.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export type ManagedAddon = 'metrics-server' | typeof CLOUDWATCH_OBSERVABILITY_ADDON;

const ALL_LOG_TYPES = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
  eks.ClusterLoggingTypes.CONTROLLER_MANAGER,
  eks.ClusterLoggingTypes.SCHEDULER,
];

/**
 * An EKS cluster for one environment on `aws-eks-v2` (a native `AWS::EKS::Cluster`) with EKS
 * Auto Mode, whose defaults are the HA and security practice: a VPC over 2+ zones with a NAT per
 * zone, access entries for the listed admins (and none for whoever runs CloudFormation), the
 * endpoint private or public only to listed CIDRs, every control-plane log type, secrets
 * encrypted with a rotating KMS key; a node pool that enforces NetworkPolicies; the AWS Load
 * Balancer Controller for pod readiness gates; metrics-server for the HPA; CloudWatch's agents,
 * which scrape the pods' metrics ports; and the in-VPC kubectl handler, which aws-eks-v2 gives a
 * cluster-admin access entry, for everything applied inside.
 */
export class HaEksCluster extends Construct {
  readonly network: HaVpc;
  readonly cluster: eks.Cluster;
  readonly secretsKey: kms.Key;
  /** The node pool of the workloads. */
  readonly compute: AutoModeCompute;
  /** The AWS Load Balancer Controller. */
  readonly loadBalancerController: LoadBalancerController;
  /** CloudWatch's agents and the Prometheus scraper; undefined with `observability: false`. */
  readonly observability?: ClusterObservability;

  constructor(scope: Construct, id: string, props: HaEksClusterProps) {
    super(scope, id);
    if (!/^[A-Za-z][A-Za-z0-9-]{0,99}$/.test(props.clusterName)) {
      throw new Error(
        `'clusterName' (${props.clusterName}) must start with a letter and hold only letters, digits and '-' (at most 100): e.g. 'stayup-live'`,
      );
    }
    if (props.adminPrincipalArns.length === 0) {
      throw new Error(
        `'adminPrincipalArns' ([]) must list at least one IAM principal: with no creator admin, ` +
          `nobody but the deploy's own kubectl handler could manage the cluster`,
      );
    }
    for (const [i, arn] of props.adminPrincipalArns.entries()) {
      if (!/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/.test(arn)) {
        throw new Error(
          `'adminPrincipalArns[${i}]' (${arn}) must be an IAM role or user ARN: e.g. 'arn:aws:iam::123456789012:role/platform-admin'`,
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
      vpc: this.network.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
      compute: { nodePools: [...AUTO_MODE_BUILT_IN_POOLS] },
      // the principal running CloudFormation gets no admin: access is the listed admins and the
      // kubectl handler (granted by aws-eks-v2 when kubectlProviderOptions is set)
      bootstrapClusterCreatorAdminPermissions: false,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer') },
      endpointAccess:
        publicCidrs.length > 0
          ? eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...publicCidrs)
          : eks.EndpointAccess.PRIVATE,
      clusterLogging: ALL_LOG_TYPES,
      secretsEncryptionKey: this.secretsKey,
      tags: { ...props.tags },
    });
    props.adminPrincipalArns.forEach((arn, i) =>
      this.cluster.grantAccess(`Admin${i}`, arn, [
        eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', {
          accessScopeType: eks.AccessScopeType.CLUSTER,
        }),
      ]),
    );

    const capacity = props.capacity ?? DEFAULT_CAPACITY;
    this.compute = new AutoModeCompute(this, 'Compute', {
      cluster: this.cluster,
      architectures: capacity.architectures,
      capacityTypes: capacity.capacityTypes,
      maxVcpus: capacity.maxVcpus,
    });
    // Its Pod Identity service account makes aws-eks-v2 add the eks-pod-identity-agent add-on
    // (aws/aws-cdk#32580). Inert under Auto Mode, which runs the agent itself: the add-on's
    // DaemonSet keeps off `eks.amazonaws.com/compute-type: auto` nodes (aws/eks-pod-identity-agent
    // @d4dc0f3, charts/eks-pod-identity-agent/values.yaml, `NotIn [fargate, hybrid, auto]`).
    this.loadBalancerController = new LoadBalancerController(this, 'LoadBalancerController', {
      cluster: this.cluster,
      version: props.loadBalancerControllerVersion,
    });
    // the controller's pods need the workload pool's nodes
    this.loadBalancerController.chart.node.addDependency(this.compute.manifest);

    const metricsServer = new eks.Addon(this, 'MetricsServer', {
      cluster: this.cluster,
      addonName: 'metrics-server',
      addonVersion: props.addonVersions?.['metrics-server'],
    });
    // an add-on installed over an existing deployment takes it over instead of failing
    // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html, resolveConflicts)
    (metricsServer.node.defaultChild as eks.CfnAddon).resolveConflicts = 'OVERWRITE';
    // its pods need nodes: after the pool exists
    metricsServer.node.addDependency(this.compute.manifest);

    if (props.observability !== false) {
      this.observability = new ClusterObservability(this, 'Observability', {
        ...props.observability,
        cluster: this.cluster,
        addonVersion: props.addonVersions?.[CLOUDWATCH_OBSERVABILITY_ADDON],
      });
      // the operator and its agents need nodes too
      this.observability.addon.node.addDependency(this.compute.manifest);
    }

    for (const [key, value] of Object.entries(props.tags)) Tags.of(this).add(key, value);
  }

  /** The architectures the nodes may run: the API image must be built for each. */
  get nodeArchitectures(): readonly NodeArchitecture[] {
    return this.compute.architectures;
  }
}
