import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CliCredentialsStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildCdkApp } from './cdk-app.js';
import { executionPolicyDocument } from './delivery-policies.js';
import { API_REPOSITORY_NAME, CDK_QUALIFIER, DeliveryStack } from './delivery-stack.js';
import { requireAws, tagStack } from './environments/aws.js';
import { ENVIRONMENTS } from './environments/index.js';
import {
  prefixCovers,
  REPLICA_TEMPLATE_PREFIX,
  replicaRepositoryTemplate,
  replicasWithoutTemplate,
  type SynthesizedStack,
} from './replica-repository-template.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON */

// What these tests rely on (read, not guessed):
// - ECR creates a replicated repository with its defaults (mutable tags, AES-256) unless a
//   repository creation template applied for REPLICATION matches it:
//   https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
// - a template is a setting of a registry (an account in a region) and the replica is created in
//   the destination registry, so the template must be in the destination region (ROOT: "applied to
//   all repositories that don't match another template in this Region", the console's wording,
//   hashicorp/terraform-provider-aws#38650);
// - "There is always an assumed / applied to the end of the prefix" (`prefix`,
//   https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html);
// - the template's properties, none of them about scanning:
//   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html
const live = ENVIRONMENTS.live;
const aws = requireAws(live, 'the replica tests');
const extraRegions = (aws.extraRegions ?? []).map((r) => r.region);

/** A plain stack of live's account in `region`, with the template when `withTemplate`. */
function regionStack(
  app: App,
  region: string,
  withTemplate = true,
  id = `Region-${region}`,
): Stack {
  const stack = new Stack(app, id, { env: { account: aws.account, region } });
  if (withTemplate) replicaRepositoryTemplate(stack, live, region);
  tagStack(stack, live);
  return stack;
}
const synthesized = (s: Stack): SynthesizedStack => ({
  account: s.account,
  region: s.region,
  template: Template.fromStack(s).toJSON(),
});

describe('the replica repository template', () => {
  let delivery: DeliveryStack;
  beforeAll(() => {
    delivery = new DeliveryStack(new App(), 'stayup-delivery-live', { environment: live });
  });

  it('live replicates to at least one extra region (else these tests prove nothing)', () => {
    expect(extraRegions.length).toBeGreaterThan(0);
  });

  it.each(extraRegions)(
    '%s: immutable tags, KMS with the AWS managed key, for REPLICATION',
    (r) => {
      const t = Template.fromStack(regionStack(new App(), r));
      t.resourceCountIs('AWS::ECR::RepositoryCreationTemplate', 1);
      const [props] = Object.values<any>(
        t.findResources('AWS::ECR::RepositoryCreationTemplate'),
      ).map((x) => x.Properties);
      expect(props).toMatchObject({
        Prefix: 'ROOT',
        AppliedFor: ['REPLICATION'],
        ImageTagMutability: 'IMMUTABLE',
        EncryptionConfiguration: { EncryptionType: 'KMS' },
      });
      // a key of ours or tags would need a CustomRoleArn (repository-creation-templates-create-iam.html)
      expect(props.EncryptionConfiguration.KmsKey).toBeUndefined();
      expect(props.ResourceTags).toBeUndefined();
      expect(props.CustomRoleArn).toBeUndefined();
    },
  );

  it('gives the replica the source repository’s tag mutability and encryption', () => {
    const source = Object.values<any>(
      Template.fromStack(delivery).findResources('AWS::ECR::Repository'),
    ).find((r) => r.Properties.RepositoryName === API_REPOSITORY_NAME).Properties;
    for (const r of extraRegions) {
      const [replica] = Object.values<any>(
        Template.fromStack(regionStack(new App(), r)).findResources(
          'AWS::ECR::RepositoryCreationTemplate',
        ),
      ).map((x) => x.Properties);
      expect(replica.ImageTagMutability).toBe(source.ImageTagMutability);
      expect(replica.EncryptionConfiguration).toEqual(source.EncryptionConfiguration);
    }
  });

  it('the prefix covers the API repository; a prefix named after it would not (an assumed /)', () => {
    expect(prefixCovers(REPLICA_TEMPLATE_PREFIX, API_REPOSITORY_NAME)).toBe(true);
    expect(prefixCovers(API_REPOSITORY_NAME, API_REPOSITORY_NAME)).toBe(false);
    expect(prefixCovers('team', 'team/stayup-api')).toBe(true);
  });

  it('is nothing in the primary region nor in single-region environments', () => {
    const primary = new Stack(new App(), 'P', {
      env: { account: aws.account, region: aws.primary.region },
    });
    expect(replicaRepositoryTemplate(primary, live, aws.primary.region)).toBeUndefined();
    for (const env of [ENVIRONMENTS.dev, ENVIRONMENTS.staging]) {
      const a = requireAws(env, 'the replica tests');
      const s = new Stack(new App(), 'S', {
        env: { account: a.account, region: a.primary.region },
      });
      expect(replicaRepositoryTemplate(s, env, a.primary.region)).toBeUndefined();
      expect(Template.fromStack(s).toJSON().Resources ?? {}).toEqual({});
    }
  });

  it('refuses a stack of another region: ECR reads the destination registry’s templates', () => {
    const primary = new Stack(new App(), 'P', {
      env: { account: aws.account, region: aws.primary.region },
    });
    expect(() => replicaRepositoryTemplate(primary, live, extraRegions[0])).toThrow(
      /must be in a stack deployed to eu-central-1/,
    );
  });

  describe('rule: every replication destination has a template', () => {
    it('holds for the delivery stack with a template in each extra region', () => {
      const a = new App();
      const d = new DeliveryStack(a, 'stayup-delivery-live', { environment: live });
      const stacks = [d, ...extraRegions.map((r) => regionStack(a, r))];
      expect(replicasWithoutTemplate(stacks.map(synthesized))).toEqual([]);
    });

    it('catches the old setup: replication and no template in the destination', () => {
      const a = new App();
      const d = new DeliveryStack(a, 'stayup-delivery-live', { environment: live });
      const stacks = [d, ...extraRegions.map((r) => regionStack(a, r, false))];
      expect(replicasWithoutTemplate(stacks.map(synthesized))).toEqual(
        extraRegions.map((r) => `${aws.account}/${r}: ${API_REPOSITORY_NAME}`),
      );
    });

    it('catches a template in the source region, or one whose prefix misses the filter', () => {
      const a = new App();
      const d = new DeliveryStack(a, 'stayup-delivery-live', { environment: live });
      const r = extraRegions[0];
      const wrongPrefix = regionStack(a, r);
      (wrongPrefix.node.findChild('ApiReplicaRepositoryTemplate') as any).prefix =
        API_REPOSITORY_NAME;
      const inSource = synthesized(regionStack(a, r, true, 'Moved'));
      const moved = { ...inSource, region: aws.primary.region };
      expect(replicasWithoutTemplate([synthesized(d), moved])).toHaveLength(1);
      expect(replicasWithoutTemplate([synthesized(d), synthesized(wrongPrefix)])).toHaveLength(1);
    });
  });

  it('is deployed with the delivery stack and before it, not by the cluster stacks', () => {
    // Templates apply only when ECR creates the replica ("This doesn't have any effect on any
    // previously created repositories",
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create.html),
    // which happens at the first push replicated by the delivery stack's ReplicationConfiguration;
    // deploy.yml pushes before `cdk deploy "stayup-<env>*"`, so a template in a cluster stack would
    // come too late in a new region. `cdk deploy stayup-delivery-<env>` deploys its dependencies
    // first (aws-cdk CLI: `--exclusively` is off by default).
    const built = buildCdkApp(Object.values(ENVIRONMENTS), {
      outdir: mkdtempSync(join(tmpdir(), 'stayup-r-')),
    });
    const all = [...built.delivery, ...built.registries, ...built.stacks];
    expect(replicasWithoutTemplate(all.map(synthesized))).toEqual([]);
    const liveDelivery = built.delivery.find((d) => d.stackName === 'stayup-delivery-live');
    expect(built.registries.map((r) => `${r.stackName}@${r.region}`)).toEqual(
      extraRegions.map((r) => `stayup-delivery-live-${r}@${r}`),
    );
    for (const registry of built.registries) {
      expect(liveDelivery?.dependencies).toContain(registry);
      // like the delivery stack, deployed with the person's own credentials, not through the
      // bootstrap's execution role (bound by the execution policy, which has no ECR write)
      expect(registry.synthesizer).toBeInstanceOf(CliCredentialsStackSynthesizer);
      expect(liveDelivery?.synthesizer).toBeInstanceOf(CliCredentialsStackSynthesizer);
    }
    // the cluster stacks (bound by the execution policy) create no ECR resource, and the policy
    // grants no ECR write
    for (const stack of built.stacks) {
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('AWS::ECR::');
    }
    const doc = executionPolicyDocument({
      env: 'live',
      account: aws.account,
      qualifier: CDK_QUALIFIER,
    }).toJSON();
    const actions = doc.Statement.filter((x: any) => x.Effect === 'Allow').flatMap((x: any) =>
      [x.Action].flat(),
    );
    expect(actions.filter((x: string) => x.startsWith('ecr:'))).toEqual([]);
  });
});
