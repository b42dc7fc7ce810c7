import { ServiceEnv } from '@stayup/contract';
import { CLOUDWATCH_AGENT_NAMESPACE } from '@stayup/eks-platform';
import { Chart, Duration, type ChartProps } from 'cdk8s';
import { EnvValue, HighlyAvailableService, ResourcePreset } from '@stayup/k8s-ha';
import type { Construct } from 'constructs';
import { apiRepositoryFor, ingressHostsFor, regionsOf } from './environments/aws.js';
import {
  validateEnvironment,
  type EnvironmentConfig,
  type RegionConfig,
} from './environments/index.js';

/** Name of the API's Kubernetes objects. */
export const API_NAME = 'stayup-api';

const PRESETS = {
  small: ResourcePreset.SMALL,
  medium: ResourcePreset.MEDIUM,
  large: ResourcePreset.LARGE,
};

/** Options of {@link ApiChart}. */
export interface ApiChartProps extends ChartProps {
  /** The environment. */
  readonly environment: EnvironmentConfig;
  /** Image tag to deploy. @default the environment file's `api.imageTag` */
  readonly imageTag?: string;
  /**
   * The region whose cluster runs this chart: the image comes from that region's ECR and the
   * NetworkPolicy admits that region's VPC.
   * @default the environment's primary region
   */
  readonly region?: RegionConfig;
}

/**
 * Where the collector that scrapes the API's metrics port runs, for its NetworkPolicy: the
 * Prometheus of a declared operator stack (`monitoring`), else, on AWS, the CloudWatch agent's
 * scraper (HaEksCluster's ClusterObservability, in `amazon-cloudwatch`); locally, k8s-ha's default.
 */
export function scraperNamespaceFor(env: EnvironmentConfig): string | undefined {
  if (env.monitoring?.prometheusOperator) return undefined;
  return env.aws ? CLOUDWATCH_AGENT_NAMESPACE : undefined;
}

/**
 * The API's Kubernetes objects for one environment, from its config alone: the same chart feeds
 * the EKS cluster (`cluster.addCdk8sChart`), the plain manifests and the Helm chart.
 */
export class ApiChart extends Chart {
  /** The service and its pieces. */
  readonly service: HighlyAvailableService;

  constructor(scope: Construct, id: string, props: ApiChartProps) {
    const env = props.environment;
    super(scope, id, {
      ...props,
      labels: {
        'stayup.io/environment': env.name,
        'stayup.io/owner': env.tags.owner,
        'stayup.io/cost-centre': env.tags.costCentre,
        ...props.labels,
      },
    });
    const api = { ...env.api, imageTag: props.imageTag ?? env.api.imageTag };
    validateEnvironment({ ...env, api });
    const region = props.region ?? env.aws?.primary;
    const regions = env.aws ? regionsOf(env.aws).map((r) => r.region) : [];
    if (props.region && !regions.includes(props.region.region)) {
      throw new Error(
        `'region' (${props.region.region}) must be one of environment ${env.name}'s regions (${regions.join(', ') || 'none'}): pass the cluster stack's RegionConfig`,
      );
    }
    this.service = new HighlyAvailableService(this, 'api', {
      name: API_NAME,
      namespace: env.namespace,
      image: `${apiRepositoryFor(env, region)}:${api.imageTag}`,
      imagePullPolicy: api.imagePullPolicy,
      // the environment's own ECR repository refuses to move tags (DeliveryStack, IMMUTABLE)
      immutableTags: api.imageRepository === undefined,
      resources: PRESETS[api.size],
      drain: {
        delay: Duration.seconds(api.drainDelaySeconds),
        timeout: Duration.seconds(api.drainTimeoutSeconds),
      },
      scaling: {
        minReplicas: api.replicas.min,
        maxReplicas: api.replicas.max,
        allowSingleReplica: api.allowSingleReplica,
      },
      component: 'api',
      // the API answers its probes on the metrics port too, where they never queue behind traffic
      probes: { port: 'metrics' },
      spread: { zones: env.zones },
      env: { [ServiceEnv.logLevel]: EnvValue.fromValue(api.logLevel) },
      ingress:
        api.hosts.length > 0
          ? { hosts: ingressHostsFor(env, region), certificateArns: api.certificateArns }
          : undefined,
      alerts: api.alerts,
      // With ip targets the ALB connects from the VPC's subnets: admit exactly the VPC.
      networkPolicy: {
        ...(region ? { loadBalancerCidrs: [region.vpcCidr] } : {}),
        monitoringNamespace: scraperNamespaceFor(env),
      },
    });
  }
}
