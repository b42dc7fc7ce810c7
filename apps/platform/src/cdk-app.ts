import { acknowledgeFindings, type AppliedAcknowledgement } from '@stayup/eks-platform';
import { App, CliCredentialsStackSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PermissionsBoundary } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ClusterStack } from './cluster-stack.js';
import { workloadBoundaryName } from './delivery-policies.js';
import { CDK_QUALIFIER, DeliveryStack } from './delivery-stack.js';
import { tagStack } from './environments/aws.js';
import type { EnvironmentConfig } from './environments/index.js';
import { replicaRepositoryTemplate } from './replica-repository-template.js';

/** Options of {@link buildCdkApp}. */
export interface CdkAppOptions {
  /** Cloud assembly directory. @default 'dist/apps/platform/cdk.out' */
  readonly outdir?: string;
  /** Image tag for every environment. @default each environment file's */
  readonly imageTag?: string;
}

/**
 * Stack name of an environment in a region: `stayup-<env>` for the primary region. (Delivery
 * stacks are `stayup-delivery-<env>`, outside the `stayup-<env>*` pattern CI deploys:
 * {@link clusterStackPattern}.)
 */
export function stackName(env: string, region: string, primary: boolean): string {
  return primary ? `stayup-${env}` : `stayup-${env}-${region}`;
}

/**
 * The `cdk deploy` stack pattern of an environment's cluster stacks, the only ones CI deploys
 * (deploy.yml, `platform:deploy`): never `--all`, which would include `stayup-delivery-<env>`.
 */
export function clusterStackPattern(env: string): string {
  return `stayup-${env}*`;
}

/**
 * The CDK app for the given environments (those without AWS settings, like `local`, are
 * skipped): one delivery stack each (with a registry stack per extra region, deployed first) and
 * one cluster stack per region, checked by cdk-nag's
 * AwsSolutions pack (synth fails on any finding not acknowledged with a reason by
 * @stayup/eks-platform).
 */
export function buildCdkApp(
  environments: readonly EnvironmentConfig[],
  options: CdkAppOptions = {},
) {
  // The CDK CLI passes its output directory in CDK_OUTDIR; plain `node` runs write to dist.
  const app = new App({
    outdir: options.outdir ?? process.env.CDK_OUTDIR ?? 'dist/apps/platform/cdk.out',
  });
  const stacks: ClusterStack[] = [];
  const delivery: DeliveryStack[] = [];
  /** Per extra region: the registry settings the delivery stack's replication relies on. */
  const registries: Stack[] = [];
  const acknowledged: AppliedAcknowledgement[] = [];
  for (const environment of environments) {
    if (!environment.aws) continue;
    const deliveryStack = new DeliveryStack(app, `stayup-delivery-${environment.name}`, {
      environment,
    });
    delivery.push(deliveryStack);
    // The replica's settings in each extra region, deployed with (before) the delivery stack:
    // ECR applies a template only when it creates the replica, at the first replicated push.
    const own = (environment.aws.extraRegions ?? []).map((extra) => {
      const registry = new Stack(app, `${deliveryStack.stackName}-${extra.region}`, {
        env: { account: environment.aws?.account, region: extra.region },
        // deployed with the delivery stack, by a person with their own credentials: the
        // execution policy the cluster stacks are bound by grants no ECR write
        synthesizer: new CliCredentialsStackSynthesizer({ qualifier: CDK_QUALIFIER }),
        terminationProtection: true,
        description: `stayup ${environment.name}: the settings of the API's ECR replica in ${extra.region}`,
      });
      replicaRepositoryTemplate(registry, environment, extra.region);
      tagStack(registry, environment);
      deliveryStack.addDependency(
        registry,
        'its replication creates the replica the template sets up',
      );
      return registry;
    });
    registries.push(...own);
    for (const stack of [deliveryStack, ...own]) {
      acknowledged.push(
        ...acknowledgeFindings(stack, new AwsSolutionsChecks(app).validateScope(stack)),
      );
    }
    const regions = [environment.aws.primary, ...(environment.aws.extraRegions ?? [])];
    regions.forEach((region, i) => {
      const stack = new ClusterStack(app, stackName(environment.name, region.region, i === 0), {
        environment,
        region,
        imageTag: options.imageTag,
      });
      // The execution policy lets CloudFormation write a role only with this boundary on it
      // (delivery-policies.ts): every role of the stack, nested stacks included, carries it.
      PermissionsBoundary.of(stack).apply(
        ManagedPolicy.fromManagedPolicyName(
          stack,
          'WorkloadBoundary',
          workloadBoundaryName(environment.name),
        ),
      );
      stacks.push(stack);
      acknowledged.push(
        ...acknowledgeFindings(stack, new AwsSolutionsChecks(app).validateScope(stack)),
      );
    });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stacks, delivery, registries, acknowledged };
}
