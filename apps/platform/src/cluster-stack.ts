import { HaEksCluster } from '@stayup/eks-platform';
import { Stack, type StackProps } from 'aws-cdk-lib';
import { App as Cdk8sApp } from 'cdk8s';
import type { Construct } from 'constructs';
import { API_NAME, ApiChart } from './api-chart.js';
import { deployRoleArn } from './delivery-stack.js';
import { awsTags, clusterName, requireAws, tagStack } from './environments/aws.js';
import type { EnvironmentConfig, RegionConfig } from './environments/index.js';

/** Options of {@link ClusterStack}. */
export interface ClusterStackProps extends StackProps {
  readonly environment: EnvironmentConfig;
  /** The region this stack builds (the primary or an extra one). */
  readonly region: RegionConfig;
  /** Image tag to deploy. @default the environment's */
  readonly imageTag?: string;
}

/**
 * One environment's cluster in one region, with the API deployed into it through
 * `cluster.addCdk8sChart()`: the same ApiChart that writes the plain manifests and the Helm chart.
 */
export class ClusterStack extends Stack {
  readonly platform: HaEksCluster;
  readonly apiChart: ApiChart;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    const { environment } = props;
    const aws = requireAws(environment, 'a cluster stack');
    super(scope, id, {
      ...props,
      env: { account: aws.account, region: props.region.region },
      description: `stayup ${environment.name}: EKS cluster and the API (${props.region.region})`,
      terminationProtection: environment.name === 'live',
    });
    this.zones = props.region.availabilityZones;
    const tags = awsTags(environment);
    this.platform = new HaEksCluster(this, 'Platform', {
      clusterName: clusterName(environment),
      vpc: {
        availabilityZones: props.region.availabilityZones,
        cidr: aws.vpcCidr,
        natGateways: aws.natGateways,
      },
      adminPrincipalArns: aws.adminPrincipalArns,
      // the CI deploy role checks rollouts (kubectl rollout status) and nothing more
      viewerPrincipalArns: [deployRoleArn(environment) as string],
      publicEndpointCidrs: aws.publicEndpointCidrs,
      capacity:
        aws.capacity.type === 'managed-nodes'
          ? { ...aws.capacity, type: 'managed-nodes' }
          : { type: 'fargate', namespaces: [environment.namespace] },
      tags,
    });
    this.apiChart = new ApiChart(new Cdk8sApp(), API_NAME, {
      environment,
      imageTag: props.imageTag,
    });
    const manifest = this.platform.cluster.addCdk8sChart('Api', this.apiChart);
    // The Ingress and the readiness gates need the ALB controller running first.
    const alb = this.platform.cluster.albController;
    if (alb) manifest.node.addDependency(alb);
    tagStack(this, environment);
  }

  /**
   * The zones from the environment file: aws-cdk-lib would otherwise look them up in the account
   * at synth time, which needs credentials (and makes synth depend on the account's state).
   */
  override get availabilityZones(): string[] {
    return [...(this.zones ?? [])];
  }
}
