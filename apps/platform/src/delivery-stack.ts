import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { clusterName, requireAws, tagStack } from './environments/aws.js';
import type { EnvironmentConfig } from './environments/index.js';

/** The repository GitHub Actions deploys from (the OIDC `sub` claim names it). */
export const GITHUB_REPOSITORY = 'stayup-dev/stayup';
/** The CDK bootstrap qualifier (the default). */
export const CDK_QUALIFIER = 'hnb659fds';
/** Name of the API's ECR repository in each environment's account. */
export const API_REPOSITORY_NAME = 'stayup-api';
const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';

/** Name of the role GitHub Actions assumes to deploy `env`. */
export function deployRoleName(env: string): string {
  return `stayup-github-deploy-${env}`;
}

/** ARN of that role. */
export function deployRoleArn(environment: EnvironmentConfig): string | undefined {
  return environment.aws
    ? `arn:aws:iam::${environment.aws.account}:role/${deployRoleName(environment.name)}`
    : undefined;
}

/** Options of {@link DeliveryStack}. */
export interface DeliveryStackProps extends StackProps {
  readonly environment: EnvironmentConfig;
  /** `owner/name` of the GitHub repository. @default GITHUB_REPOSITORY */
  readonly repository?: string;
  /**
   * ARN of the account's GitHub OIDC provider when one exists already (there can be one per
   * account and URL). @default a new provider
   */
  readonly existingOidcProviderArn?: string;
}

/**
 * What GitHub Actions needs to deploy one environment, with no stored keys: the GitHub OIDC
 * identity provider, a deploy role that only this repository's `environment:<env>` jobs can
 * assume (so a `live` deploy needs the live environment's approval), and the API's ECR repository.
 * The role can assume the CDK bootstrap roles (which do the deploying), push to the API
 * repository, and describe the cluster; the cluster grants it read-only access for rollout checks.
 * Deploy it once per account with administrator credentials: `cdk deploy stayup-delivery-<env>`.
 */
export class DeliveryStack extends Stack {
  readonly deployRole: iam.Role;
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    const { environment } = props;
    const aws = requireAws(environment, 'a delivery stack');
    super(scope, id, {
      ...props,
      env: { account: aws.account, region: aws.primary.region },
      description: `stayup ${environment.name}: GitHub OIDC deploy role and the API's ECR repository`,
      terminationProtection: true,
    });
    const repository = props.repository ?? GITHUB_REPOSITORY;
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
      throw new Error(`'repository' (${repository}) must be 'owner/name' of the GitHub repository`);
    }
    const providerArn =
      props.existingOidcProviderArn ??
      new iam.OidcProviderNative(this, 'GitHubOidc', {
        url: GITHUB_OIDC_URL,
        clientIds: ['sts.amazonaws.com'],
      }).oidcProviderArn;

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: deployRoleName(environment.name),
      description: `GitHub Actions deploys ${environment.name} from ${repository}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:${repository}:environment:${environment.name}`,
        },
      }),
    });
    const regions = [aws.primary, ...(aws.extraRegions ?? [])].map((r) => r.region);
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: regions.flatMap((region) =>
          ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
            (kind) =>
              `arn:aws:iam::${aws.account}:role/cdk-${CDK_QUALIFIER}-${kind}-role-${aws.account}-${region}`,
          ),
        ),
      }),
    );
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeClusters',
        actions: ['eks:DescribeCluster'],
        resources: regions.map(
          (region) => `arn:aws:eks:${region}:${aws.account}:cluster/${clusterName(environment)}`,
        ),
      }),
    );

    this.repository = new ecr.Repository(this, 'ApiRepository', {
      repositoryName: API_REPOSITORY_NAME,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ description: 'keep the last 100 images', maxImageCount: 100 }],
    });
    this.repository.grantPullPush(this.deployRole);
    // grantPullPush adds ecr:GetAuthorizationToken on '*': the action has no resource-level form.
    Validations.of(this.deployRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken supports no resource-level permissions; every other action is scoped to the API repository, the cluster or the CDK bootstrap roles',
    });
    tagStack(this, environment);
  }
}
