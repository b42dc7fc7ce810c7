import { AlarmTopic, HaDns, HaEksCluster } from '@stayup/eks-platform';
import { DEFAULT_MAX_P99_SECONDS } from '@stayup/k8s-ha';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { App as Cdk8sApp, Testing } from 'cdk8s';
import type { Construct } from 'constructs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_NAME, ApiChart, scraperNamespaceFor } from './api-chart.js';
import { awsTags, clusterName, dnsPropsFor, requireAws, tagStack } from './environments/aws.js';
import type { EnvironmentConfig, RegionConfig } from './environments/index.js';
import { writeHelmChart } from './helm-chart.js';

/**
 * How long the API's Helm release may take to become ready (`helm upgrade --install --wait`)
 * before the deploy fails and CloudFormation rolls the stack back: below the kubectl handler's
 * 15-minute Lambda limit, well above a rollout of 20 pods with readiness gates.
 */
export const API_RELEASE_TIMEOUT = Duration.minutes(12);

/** Options of {@link ClusterStack}. */
export interface ClusterStackProps extends StackProps {
  readonly environment: EnvironmentConfig;
  /** The region this stack builds (the primary or an extra one). */
  readonly region: RegionConfig;
  /** Image tag to deploy. @default the environment's */
  readonly imageTag?: string;
}

/**
 * One environment's cluster in one region, with the API deployed into it by the cluster's own
 * in-VPC kubectl handler: the namespace first (kubectl apply), then the generated Helm chart of
 * the same ApiChart that writes the plain manifests, as a release with `--wait`. A rollout that
 * never becomes ready fails the CloudFormation deploy, which rolls back; nothing outside the VPC
 * talks to the Kubernetes API.
 */
export class ClusterStack extends Stack {
  readonly platform: HaEksCluster;
  readonly apiChart: ApiChart;
  /** The topic the API's alarms notify; undefined where CloudWatch does not scrape the API. */
  readonly alarms?: AlarmTopic;
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
        cidr: props.region.vpcCidr,
        natGateways: aws.natGateways,
      },
      adminPrincipalArns: aws.adminPrincipalArns,
      publicEndpointCidrs: aws.publicEndpointCidrs,
      capacity: { type: 'auto-mode', ...aws.capacity },
      tags,
    });
    this.apiChart = new ApiChart(new Cdk8sApp(), API_NAME, {
      environment,
      region: props.region,
      imageTag: props.imageTag,
    });
    const objects = Testing.synth(this.apiChart);
    const cluster = this.platform.cluster;
    // The namespace outside the release: Helm keeps its release record in it, so it must exist
    // before `helm install`, and a chart cannot adopt a namespace Helm created.
    const namespace = cluster.addManifest(
      'ApiNamespace',
      ...objects.filter((o) => o.kind === 'Namespace'),
    );
    const directory = join(mkdtempSync(join(tmpdir(), 'stayup-chart-')), API_NAME);
    const image = this.apiChart.service.deployment.apiObject.toJson().spec.template.spec
      .containers[0].image as string;
    const [repository, tag] = [
      image.slice(0, image.lastIndexOf(':')),
      image.slice(image.lastIndexOf(':') + 1),
    ];
    writeHelmChart({
      directory,
      name: API_NAME,
      version: `0.0.0-${environment.name}`,
      image: { repository, tag },
      objects: objects.filter((o) => o.kind !== 'Namespace'),
      description: `The stayup API in ${environment.name}`,
    });
    const release = cluster.addHelmChart('Api', {
      chartAsset: new Asset(this, 'ApiChartAsset', { path: directory }),
      release: API_NAME,
      namespace: environment.namespace,
      // the namespace exists, with its Pod Security and readiness-gate labels
      createNamespace: false,
      wait: true,
      timeout: API_RELEASE_TIMEOUT,
      // a failed upgrade is rolled back by Helm, and the stack by CloudFormation
      atomic: true,
    });
    release.node.addDependency(namespace);
    // readiness gates and the Ingress need the load balancer controller (and its webhook) first
    release.node.addDependency(this.platform.loadBalancerController.chart);
    // the certificate first (the controller finds it by host when it creates the HTTPS listener),
    // then the records, pointed at the ALB the Ingress status names once the release is up
    const dns = new HaDns(this, 'Dns', dnsPropsFor(environment, props.region));
    release.node.addDependency(dns.certificate);
    dns.pointAtIngress({
      cluster,
      namespace: environment.namespace,
      name: API_NAME,
      after: [release],
    });
    this.alarms = this.addApiAlarms(environment);
    tagStack(this, environment);
  }

  /**
   * CloudWatch alarms on the API, from the metrics the cluster's scraper sends (the API's
   * NetworkPolicy admits it: `scraperNamespaceFor`): 5xx ratio, load shedding, p99 latency (the
   * PrometheusRule's threshold), available replicas below the environment's minimum; each notifies one encrypted topic, whose ARN is a
   * stack output to subscribe a pager or chat to.
   */
  private addApiAlarms(environment: EnvironmentConfig): AlarmTopic | undefined {
    const observability = this.platform.observability;
    if (!observability || scraperNamespaceFor(environment) !== observability.scraperNamespace) {
      return undefined;
    }
    const api = { namespace: environment.namespace, app: API_NAME };
    const topic = new AlarmTopic(this, 'ApiAlarms', {
      displayName: `stayup ${environment.name} API alarms (${this.region})`,
    });
    topic.notify(
      observability.addErrorRatioAlarm('Api5xxRatio', api),
      observability.addLoadSheddingAlarm('ApiShedding', api),
      observability.addLatencyAlarm('ApiLatencyP99', api, {
        threshold: Duration.seconds(DEFAULT_MAX_P99_SECONDS),
      }),
      observability.addAvailableReplicasAlarm('ApiAvailableReplicas', {
        namespace: environment.namespace,
        deployment: API_NAME,
        minimum: environment.api.replicas.min,
      }),
    );
    new CfnOutput(this, 'ApiAlarmTopicArn', {
      description: "Subscribe the on-call's pager or chat to this topic",
      value: topic.topic.topicArn,
    });
    return topic;
  }

  /**
   * The zones from the environment file: aws-cdk-lib would otherwise look them up in the account
   * at synth time, which needs credentials (and makes synth depend on the account's state).
   */
  override get availabilityZones(): string[] {
    return [...(this.zones ?? [])];
  }
}
