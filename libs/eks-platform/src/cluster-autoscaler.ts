import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * Chart version of the Cluster Autoscaler (kubernetes.github.io/autoscaler).
 * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases
 */
export const CLUSTER_AUTOSCALER_CHART_VERSION = '9.43.1';

/** Options of {@link ClusterAutoscaler}. */
export interface ClusterAutoscalerProps {
  readonly cluster: eks.Cluster;
  /** The cluster's name as a literal (it appears in an IAM condition key, which cannot be a token). */
  readonly clusterName: string;
  /** @default '9.43.1' */
  readonly chartVersion?: string;
  /**
   * Image tag; keep its minor version equal to the cluster's Kubernetes minor.
   * @default the chart's appVersion
   */
  readonly imageTag?: string;
}

/**
 * The Cluster Autoscaler, chosen over Karpenter here because the platform runs EKS managed node
 * groups (which tag their Auto Scaling groups for auto-discovery) and the autoscaler needs nothing
 * but a scoped IAM role; Karpenter replaces node groups altogether, a bigger step to take on purpose.
 * IAM through IRSA, write actions limited to this cluster's groups by tag.
 */
export class ClusterAutoscaler extends Construct {
  readonly chart: eks.HelmChart;
  readonly serviceAccount: eks.ServiceAccount;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const { cluster } = props;
    this.serviceAccount = cluster.addServiceAccount('ClusterAutoscalerServiceAccount', {
      name: 'cluster-autoscaler',
      namespace: 'kube-system',
    });
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
          'eks:DescribeNodegroup',
        ],
        resources: ['*'],
      }),
    );
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'autoscaling:SetDesiredCapacity',
          'autoscaling:TerminateInstanceInAutoScalingGroup',
        ],
        resources: ['*'],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${props.clusterName}`]: 'owned',
          },
        },
      }),
    );
    this.chart = cluster.addHelmChart('Chart', {
      chart: 'cluster-autoscaler',
      repository: 'https://kubernetes.github.io/autoscaler',
      release: 'cluster-autoscaler',
      namespace: 'kube-system',
      version: props.chartVersion ?? CLUSTER_AUTOSCALER_CHART_VERSION,
      values: {
        autoDiscovery: { clusterName: props.clusterName },
        awsRegion: cluster.stack.region,
        rbac: { serviceAccount: { create: false, name: 'cluster-autoscaler' } },
        ...(props.imageTag ? { image: { tag: props.imageTag } } : {}),
        extraArgs: {
          'balance-similar-node-groups': true,
          'skip-nodes-with-system-pods': false,
          expander: 'least-waste',
        },
        priorityClassName: 'system-cluster-critical',
      },
    });
    this.chart.node.addDependency(this.serviceAccount);
  }
}
