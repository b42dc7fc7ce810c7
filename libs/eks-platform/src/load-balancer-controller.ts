import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { eksImageRegistry } from './eks-image-registry.js';

/** The controller version: aws-cdk-lib's newest with a bundled IAM policy. */
export const DEFAULT_LOAD_BALANCER_CONTROLLER_VERSION = eks.AlbControllerVersion.V3_2_2;
/** How long the Helm release may take to become ready before the deploy fails and rolls back. */
export const LOAD_BALANCER_CONTROLLER_TIMEOUT = Duration.minutes(10);

/** Options of {@link LoadBalancerController}. */
export interface LoadBalancerControllerProps {
  readonly cluster: eks.Cluster;
  /** @default AlbControllerVersion.V3_2_2 */
  readonly version?: eks.AlbControllerVersion;
}

/**
 * The self-managed AWS Load Balancer Controller on an EKS Auto Mode cluster, for its pod
 * readiness gates: a rollout then waits until the ALB serves each new pod before it stops an old
 * one. Auto Mode's built-in load balancing has no readiness gates
 * (https://github.com/aws/containers-roadmap/issues/2511), so the zero-downtime rollout would
 * rest on timing alone. Compared with aws-eks-v2's own `albController` option, this one:
 * - gets its AWS permissions through EKS Pod Identity (the agent is built into Auto Mode), not
 *   IRSA and an OIDC provider;
 * - pulls its image from the cluster's own region (aws-eks-v2 defaults to us-west-2's registry,
 *   which makes every region depend on us-west-2 at run time);
 * - waits for the release (Helm `--wait`), so a controller that never runs fails the deploy.
 * Ingresses with `ingressClassName: alb` are served by it; Auto Mode's controller only serves
 * IngressClasses whose controller is `eks.amazonaws.com/alb`, so the two never compete.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-elb-example.html
 */
export class LoadBalancerController extends Construct {
  /** The Helm release. */
  readonly chart: eks.HelmChart;
  /** The service account, with its Pod Identity role. */
  readonly serviceAccount: eks.ServiceAccount;

  constructor(scope: Construct, id: string, props: LoadBalancerControllerProps) {
    super(scope, id);
    const version = props.version ?? DEFAULT_LOAD_BALANCER_CONTROLLER_VERSION;
    const namespace = 'kube-system';
    this.serviceAccount = new eks.ServiceAccount(this, 'ServiceAccount', {
      cluster: props.cluster,
      namespace,
      name: 'aws-load-balancer-controller',
      identityType: eks.IdentityType.POD_IDENTITY,
    });
    for (const statement of bundledPolicy(version).Statement) {
      this.serviceAccount.addToPrincipalPolicy(
        iam.PolicyStatement.fromJson({
          ...statement,
          Resource: rewritePartition(statement.Resource),
        }),
      );
    }
    const region = Stack.of(this).region;
    this.chart = new eks.HelmChart(this, 'Resource', {
      cluster: props.cluster,
      chart: 'aws-load-balancer-controller',
      repository: 'https://aws.github.io/eks-charts',
      release: 'aws-load-balancer-controller',
      namespace,
      version: version.helmChartVersion,
      wait: true,
      timeout: LOAD_BALANCER_CONTROLLER_TIMEOUT,
      values: {
        clusterName: props.cluster.clusterName,
        region,
        vpcId: props.cluster.vpc.vpcId,
        serviceAccount: { create: false, name: this.serviceAccount.serviceAccountName },
        image: {
          repository: `${eksImageRegistry(region)}/amazon/aws-load-balancer-controller`,
          tag: version.version,
        },
        // two replicas in different zones: the webhook that injects readiness gates must answer
        replicaCount: 2,
      },
    });
    this.chart.node.addDependency(this.serviceAccount);
  }
}

interface PolicyDocument {
  readonly Statement: ReadonlyArray<Record<string, unknown> & { Resource?: string | string[] }>;
}

/** The IAM policy aws-cdk-lib ships for this controller version (from the controller's repo). */
function bundledPolicy(version: eks.AlbControllerVersion): PolicyDocument {
  if (version.custom) {
    throw new Error(
      `'loadBalancerControllerVersion' (${version.version}) is a custom version without a bundled ` +
        `IAM policy: use one of eks.AlbControllerVersion's constants`,
    );
  }
  // resolved from the app's directory (aws-cdk-lib is a peer dependency, installed there); no
  // import.meta, which the package's CommonJS build cannot carry
  const fromApp = createRequire(join(process.cwd(), 'noop.js'));
  const addons = join(dirname(fromApp.resolve('aws-cdk-lib/aws-eks-v2')), 'lib', 'addons');
  return JSON.parse(
    readFileSync(join(addons, `alb-iam_policy-${version.version}.json`), 'utf8'),
  ) as PolicyDocument;
}

function rewritePartition(resource: string | string[] | undefined) {
  const rewrite = (r: string) => r.replace('arn:aws:', `arn:${Aws.PARTITION}:`);
  if (resource === undefined) return undefined;
  return Array.isArray(resource) ? resource.map(rewrite) : rewrite(resource);
}
