import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import { API_REPOSITORY_NAME } from './delivery-stack.js';
import { requireAws } from './environments/aws.js';
import type { EnvironmentConfig } from './environments/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation JSON */

/**
 * The prefix of the replica template: `ROOT`, every repository ECR creates in the registry that no
 * other template matches. A named prefix cannot match the API repository: "There is always an
 * assumed / applied to the end of the prefix. If you specify ecr-public as the prefix, Amazon ECR
 * treats that as ecr-public/" (CreateRepositoryCreationTemplate, `prefix`,
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html),
 * so a template `stayup-api` applies to `stayup-api/…`, never to `stayup-api` itself.
 */
export const REPLICA_TEMPLATE_PREFIX = 'ROOT';

/** Construct id of the template in its stack. */
export const REPLICA_TEMPLATE_ID = 'ApiReplicaRepositoryTemplate';

/**
 * The settings ECR gives the API repository it creates in `region` when the delivery stack's
 * replication first pushes there, or undefined when `region` is not one of the environment's
 * extra regions (the primary holds the source repository, which the delivery stack creates).
 *
 * Without a template ECR creates the replica with its defaults: "turning off tag immutability,
 * using AES-256 encryption, and not applying any repository or lifecycle policies"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html,
 * "How repository creation templates work"). A template is a setting of one registry, an account
 * in a region ("applied to all repositories that don't match another template in this Region",
 * the console's ROOT option, quoted in hashicorp/terraform-provider-aws#38650), and the replica
 * is created in the destination registry: the template must exist in the destination region,
 * before the first replicated push (templates apply only at creation: "This doesn't have any
 * effect on any previously created repositories", repository-creation-templates-create.html).
 * Hence a stack of its own in that region, `stayup-delivery-<env>-<region>`, which the delivery
 * stack (and its replication) depends on (cdk-app.ts).
 *
 * - Tags: IMMUTABLE, as the source repository.
 * - Encryption: KMS with no key, so the AWS managed key `aws/ecr` of the destination region, as
 *   the source (`RepositoryEncryption.KMS` without a key). No `CustomRoleArn`: the guide asks
 *   for a role of ours for a template "that is using repository tags or KMS"
 *   (repository-creation-templates-create-iam.html), its policy being about tagging and KMS
 *   grants; we read that as a key of ours, since with the AWS managed key "any principal that
 *   has permission to create a repository can also enable AWS KMS encryption on the repository"
 *   (encryption-at-rest.html, "Required IAM permissions when using the AWS managed key"), and the
 *   template's service-linked role has `ecr:CreateRepository` (ECRTemplateServiceRolePolicy,
 *   slr-rct.html). Hence no ResourceTags either (`tagStack` does not reach them: they are a
 *   plain property, not CDK tags).
 * - Scan on push: not configurable by a template. AWS::ECR::RepositoryCreationTemplate has no
 *   scanning property (AppliedFor, CustomRoleArn, Description, EncryptionConfiguration,
 *   ImageTagMutability, ImageTagMutabilityExclusionFilters, LifecyclePolicy, Prefix,
 *   RepositoryPolicy, ResourceTags:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html);
 *   scanning of the replica is the destination registry's scanning configuration
 *   (AWS::ECR::RegistryScanningConfiguration), not set here.
 */
export function replicaRepositoryTemplate(
  scope: Construct,
  environment: EnvironmentConfig,
  region: string,
): ecr.CfnRepositoryCreationTemplate | undefined {
  const aws = requireAws(environment, 'the replica repository template');
  if (!(aws.extraRegions ?? []).some((r) => r.region === region)) return undefined;
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region) || stack.region !== region) {
    throw new Error(
      `the replica repository template for ${region} must be in a stack deployed to ${region} ` +
        `(ECR applies the destination registry's templates), not in ${stack.region}`,
    );
  }
  return new ecr.CfnRepositoryCreationTemplate(scope, REPLICA_TEMPLATE_ID, {
    prefix: REPLICA_TEMPLATE_PREFIX,
    appliedFor: ['REPLICATION'],
    description: `Settings of ${API_REPOSITORY_NAME} replicated from ${aws.primary.region}: immutable tags, KMS (aws/ecr)`,
    imageTagMutability: 'IMMUTABLE',
    encryptionConfiguration: { encryptionType: 'KMS' },
  });
}

/** A synthesized stack, as {@link replicasWithoutTemplate} reads it. */
export interface SynthesizedStack {
  readonly account: string;
  readonly region: string;
  /** The CloudFormation template (`Template.fromStack(s).toJSON()`). */
  readonly template: { readonly Resources?: Record<string, { Type: string; Properties?: any }> };
}

/** Whether a template prefix applies to every repository a replication filter selects. */
export function prefixCovers(templatePrefix: string, filterPrefix: string): boolean {
  return templatePrefix === 'ROOT' || filterPrefix.startsWith(`${templatePrefix}/`);
}

/**
 * The replication destinations (`<account>/<region>: <filter>`) of `stacks` whose registry has no
 * template that gives the replica immutable tags and KMS encryption: ECR would create that
 * replica with its defaults (mutable tags, AES-256). A rule over synthesized templates: every
 * destination must be covered by an `AWS::ECR::RepositoryCreationTemplate` applied for
 * REPLICATION, in a stack of the destination account and region, with a prefix covering the
 * replication's repository filter ({@link prefixCovers}).
 */
export function replicasWithoutTemplate(stacks: readonly SynthesizedStack[]): string[] {
  const resources = (s: SynthesizedStack) => Object.values(s.template.Resources ?? {});
  const templates = stacks.flatMap((s) =>
    resources(s)
      .filter((r) => r.Type === 'AWS::ECR::RepositoryCreationTemplate')
      .map((r) => ({ account: s.account, region: s.region, p: r.Properties ?? {} }))
      .filter(
        ({ p }) =>
          (p.AppliedFor ?? []).includes('REPLICATION') &&
          p.ImageTagMutability === 'IMMUTABLE' &&
          p.EncryptionConfiguration?.EncryptionType === 'KMS',
      ),
  );
  const missing: string[] = [];
  for (const s of stacks) {
    for (const r of resources(s).filter((x) => x.Type === 'AWS::ECR::ReplicationConfiguration')) {
      for (const rule of r.Properties?.ReplicationConfiguration?.Rules ?? []) {
        // no filter: every repository of the registry replicates
        const filters: string[] = (rule.RepositoryFilters ?? []).map((f: any) => f.Filter);
        for (const d of rule.Destinations ?? []) {
          for (const filter of filters.length > 0 ? filters : ['']) {
            const covered = templates.some(
              (t) =>
                t.account === d.RegistryId &&
                t.region === d.Region &&
                prefixCovers(t.p.Prefix, filter),
            );
            if (!covered) missing.push(`${d.RegistryId}/${d.Region}: ${filter || '(all)'}`);
          }
        }
      }
    }
  }
  return missing;
}
