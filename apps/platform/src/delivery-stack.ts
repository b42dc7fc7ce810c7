import {
  CliCredentialsStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  executionPolicyDocument,
  executionPolicyName,
  workloadBoundaryDocument,
  workloadBoundaryName,
} from './delivery-policies.js';
import { requireAws, tagStack } from './environments/aws.js';
import type { EnvironmentConfig } from './environments/index.js';

/** The repository GitHub Actions deploys from (the OIDC `sub` claim names it). */
export const GITHUB_REPOSITORY = 'stayup-dev/stayup';
/** The CDK bootstrap qualifier (the default). */
export const CDK_QUALIFIER = 'hnb659fds';
/** Name of the API's ECR repository in each environment's account. */
export const API_REPOSITORY_NAME = 'stayup-api';
const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
/** The only workflow file that may deploy, and the only branch it may deploy from. */
export const DEPLOY_WORKFLOW = '.github/workflows/deploy.yml';
export const DEPLOY_REF = 'refs/heads/main';
/**
 * The repository's OIDC subject template (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`,
 * set by tools/scripts/configure-github.sh): the subject then names the environment, the ref the
 * run is for and the workflow file the job runs (for a reusable workflow, that file, not its
 * caller). https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository
 */
export const OIDC_SUBJECT_CLAIMS = ['repo', 'context', 'ref', 'job_workflow_ref'] as const;

/**
 * The `sub` a deploy job of `env` presents with {@link OIDC_SUBJECT_CLAIMS}: this repository's
 * deploy.yml, on main, in the GitHub environment `env`. A branch cannot claim it: its `ref` and
 * its `job_workflow_ref` name the branch (and the environment's deployment-branch rule refuses it
 * before a token is minted).
 */
export function deploySubject(repository: string, env: string): string {
  return (
    `repo:${repository}:environment:${env}:ref:${DEPLOY_REF}` +
    `:job_workflow_ref:${repository}/${DEPLOY_WORKFLOW}@${DEPLOY_REF}`
  );
}

/** The bootstrap roles the deploy role may assume: deploy and asset upload, no lookups. */
export const ASSUMABLE_BOOTSTRAP_ROLES = ['deploy', 'file-publishing'] as const;

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
 * identity provider, a deploy role that only `deploy.yml` on main, in the GitHub environment
 * `<env>`, can assume (see {@link deploySubject}), the API's ECR repository, and the two policies
 * that bound a deploy: the CloudFormation execution policy the account is bootstrapped with and
 * the permissions boundary of every role the cluster stacks create (delivery-policies.ts).
 * The role can assume the CDK deploy and file-publishing roles, push and describe images in the
 * API repository, and describe the cluster; the cluster grants it read-only access for rollout
 * checks. A person deploys this stack, once per environment, with their own credentials
 * (`CliCredentialsStackSynthesizer`: neither the bootstrap roles nor the execution policy it
 * creates are involved); CI deploys only `stayup-<env>*`.
 */
export class DeliveryStack extends Stack {
  readonly deployRole: iam.Role;
  readonly repository: ecr.Repository;
  /** Replication of the API repository to every extra region; none for a single region. */
  readonly replication?: ecr.CfnReplicationConfiguration;
  /** `cdk bootstrap --cloudformation-execution-policies` takes its ARN. */
  readonly executionPolicy: iam.ManagedPolicy;
  /** Every role of the cluster stacks carries it (cdk-app.ts). */
  readonly workloadBoundary: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: DeliveryStackProps) {
    const { environment } = props;
    const aws = requireAws(environment, 'a delivery stack');
    super(scope, id, {
      ...props,
      env: { account: aws.account, region: aws.primary.region },
      description: `stayup ${environment.name}: GitHub OIDC deploy role and the API's ECR repository`,
      terminationProtection: true,
      synthesizer: new CliCredentialsStackSynthesizer({ qualifier: CDK_QUALIFIER }),
    });
    const repository = props.repository ?? GITHUB_REPOSITORY;
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
      throw new Error(`'repository' (${repository}) must be 'owner/name' of the GitHub repository`);
    }
    const existing = props.existingOidcProviderArn;
    const expected = `arn:aws:iam::${aws.account}:oidc-provider/${GITHUB_OIDC_URL.replace(/^https:\/\//, '')}`;
    if (existing !== undefined && existing !== expected) {
      // the trust policy federates to this ARN: any other (another account, another URL) makes
      // every AssumeRoleWithWebIdentity fail on the first deploy
      throw new Error(
        `'existingOidcProviderArn' (${existing}) must be this account's GitHub OIDC provider, '${expected}', ` +
          `which must exist (IAM > Identity providers); leave it unset to create one`,
      );
    }
    const providerArn =
      existing ??
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
          'token.actions.githubusercontent.com:sub': deploySubject(repository, environment.name),
        },
      }),
    });
    const regions = [aws.primary, ...(aws.extraRegions ?? [])].map((r) => r.region);
    this.deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeCdkBootstrapRoles',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        resources: regions.flatMap((region) =>
          ASSUMABLE_BOOTSTRAP_ROLES.map(
            (kind) =>
              `arn:aws:iam::${aws.account}:role/cdk-${CDK_QUALIFIER}-${kind}-role-${aws.account}-${region}`,
          ),
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
    this.replication = replicateToRegions(this, aws.account, regions.slice(1));
    this.repository.grantPullPush(this.deployRole);
    // a re-run finds the image already pushed (tags are immutable) and skips the push
    this.repository.grant(this.deployRole, 'ecr:DescribeImages');

    const bound = {
      env: environment.name,
      account: aws.account,
      qualifier: CDK_QUALIFIER,
      hostedZoneId: aws.dnsZone.id,
    };
    this.executionPolicy = new iam.ManagedPolicy(this, 'CdkExecutionPolicy', {
      managedPolicyName: executionPolicyName(environment.name),
      description: `cdk bootstrap --cloudformation-execution-policies for ${environment.name}: what the stayup-${environment.name}* stacks create, nothing else`,
      document: executionPolicyDocument(bound),
    });
    this.workloadBoundary = new iam.ManagedPolicy(this, 'WorkloadBoundary', {
      managedPolicyName: workloadBoundaryName(environment.name),
      description: `Permissions boundary of every role the stayup-${environment.name}* stacks create`,
      document: workloadBoundaryDocument(bound),
    });
    // cdk-nag AwsSolutions-IAM5 names each wildcard: acknowledge exactly those of the two
    // documents, with the reason (delivery-policies.spec.ts holds them to no admin-equivalence).
    for (const [policy, document] of [
      [this.executionPolicy, executionPolicyDocument(bound)],
      [this.workloadBoundary, workloadBoundaryDocument(bound)],
    ] as const) {
      const statements = document.toJSON().Statement as Array<Record<string, unknown>>;
      const wildcards = new Set(
        statements.flatMap((st) => [
          ...[st.Action ?? []].flat().map((a) => `Action::${a}`),
          ...[st.Resource ?? []].flat().map((r) => `Resource::${r}`),
        ]),
      );
      for (const finding of [...wildcards].filter((w) => w.includes('*'))) {
        Validations.of(policy).acknowledge({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason:
            'a bound on what CloudFormation and the cluster roles may do, scoped to stayup-<env>* names, this account and the services the cluster stacks use; IAM writes need the boundary (delivery-policies.spec.ts refuses admin-equivalent grants)',
        });
      }
    }
    // grantPullPush adds ecr:GetAuthorizationToken on '*': the action has no resource-level form.
    Validations.of(this.deployRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken supports no resource-level permissions; every other action is scoped to the API repository, the cluster or the CDK bootstrap roles',
    });
    tagStack(this, environment);
  }
}

/**
 * Replicates the API repository to every extra region of the environment, in the same account,
 * so each region's cluster pulls from its own region's registry. A replication configuration is
 * a setting of the whole registry (one per account and region: deploying it replaces any
 * configuration made by hand); ECR creates the destination repository on the first replicated
 * push, with the settings of the destination registry's repository creation template
 * (replica-repository-template.ts: `stayup-delivery-<env>-<region>`, which this stack depends
 * on, so the template exists before the replication), and replicates only images
 * pushed after the configuration exists
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecr-replicationconfiguration.html).
 */
function replicateToRegions(
  scope: Construct,
  account: string,
  regions: readonly string[],
): ecr.CfnReplicationConfiguration | undefined {
  if (regions.length === 0) return undefined;
  return new ecr.CfnReplicationConfiguration(scope, 'ApiReplication', {
    replicationConfiguration: {
      rules: [
        {
          destinations: regions.map((region) => ({ region, registryId: account })),
          repositoryFilters: [{ filter: API_REPOSITORY_NAME, filterType: 'PREFIX_MATCH' }],
        },
      ],
    },
  });
}
