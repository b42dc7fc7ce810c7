import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCdkApp, clusterStackPattern } from './cdk-app.js';
import { adminEquivalentGrants } from './delivery-policy-audit.js';
import { DeliveryStack } from './delivery-stack.js';
import { ENVIRONMENTS } from './environments/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized JSON */

// `cdk bootstrap` gives CloudFormation AdministratorAccess unless --cloudformation-execution-policies
// says otherwise (aws-cdk packages/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml,
// CloudFormationExecutionPolicies; aws/aws-cdk#27097): the deploy role's real reach is that
// policy. These tests read it as synthesized and refuse admin-equivalent grants (IAM "Permissions
// boundaries for IAM entities", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const ACCOUNT = '333333333333';
const scopedTo = [`arn:aws:iam::${ACCOUNT}:role/stayup-live*`];
/** What the bootstrap template attaches when no execution policy is given. */
const BOOTSTRAP_DEFAULT = {
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

describe('the CloudFormation execution policy and the workload boundary', () => {
  let execution: any;
  let boundary: any;
  beforeAll(() => {
    const t = Template.fromStack(
      new DeliveryStack(new App(), 'stayup-delivery-live', { environment: ENVIRONMENTS.live }),
    );
    const byName = (name: string) =>
      Object.values<any>(t.findResources('AWS::IAM::ManagedPolicy')).find(
        (p) => p.Properties.ManagedPolicyName === name,
      ).Properties.PolicyDocument;
    execution = byName('stayup-cdk-execution-live');
    boundary = byName('stayup-workload-boundary-live');
  });

  it('grants nothing admin-equivalent (the bootstrap default, AdministratorAccess, would)', () => {
    expect(adminEquivalentGrants(execution, { scopedTo })).toEqual([]);
    expect(adminEquivalentGrants(boundary, { scopedTo })).toEqual([]);
    expect(adminEquivalentGrants(BOOTSTRAP_DEFAULT, { scopedTo })).toContain('#0: * allowed');
  });

  it.each([
    [
      'iam:* on *',
      (d: any) => d.Statement.push({ Effect: 'Allow', Action: 'iam:*', Resource: '*' }),
    ],
    [
      'role writes without the boundary',
      (d: any) =>
        d.Statement.filter((s: any) => s.Condition?.StringEquals).forEach(
          (s: any) => delete s.Condition.StringEquals,
        ),
    ],
    [
      'AdministratorAccess attachable',
      (d: any) =>
        d.Statement.find((s: any) => s.Condition?.ArnEquals).Condition.ArnEquals[
          'iam:PolicyARN'
        ].push('arn:aws:iam::aws:policy/AdministratorAccess'),
    ],
    [
      'roles outside stayup-<env>*',
      (d: any) =>
        d.Statement.push({
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
        }),
    ],
    [
      'a NotAction that keeps IAM',
      (d: any) => d.Statement.push({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }),
    ],
  ])('refuses a copy with %s (negative control)', (_, mutate) => {
    const copy = structuredClone(execution);
    mutate(copy);
    expect(adminEquivalentGrants(copy, { scopedTo })).not.toEqual([]);
  });

  it('denies every deploy the delivery and bootstrap roles and both policies', () => {
    for (const doc of [execution, boundary]) {
      const deny = doc.Statement.find((s: any) => s.Effect === 'Deny');
      expect(deny.Resource).toEqual(
        expect.arrayContaining([
          `arn:aws:iam::${ACCOUNT}:role/cdk-hnb659fds-*`,
          `arn:aws:iam::${ACCOUNT}:role/stayup-github-deploy-*`,
          `arn:aws:iam::${ACCOUNT}:policy/stayup-cdk-execution-live`,
          `arn:aws:iam::${ACCOUNT}:policy/stayup-workload-boundary-live`,
        ]),
      );
    }
  });
});

describe('what the cluster stacks create, against the execution policy', () => {
  let built: ReturnType<typeof buildCdkApp>;
  let execution: any;
  const nested = (stack: Stack) =>
    stack.node.findAll().filter((c): c is Stack => c instanceof Stack && c !== stack && c.nested);
  beforeAll(() => {
    built = buildCdkApp([ENVIRONMENTS.live], { outdir: mkdtempSync(join(tmpdir(), 'stayup-x-')) });
    const [delivery] = built.delivery;
    execution = Object.values<any>(
      Template.fromStack(delivery).findResources('AWS::IAM::ManagedPolicy'),
    ).find((p) => p.Properties.ManagedPolicyName === 'stayup-cdk-execution-live').Properties
      .PolicyDocument;
  });

  it('every role carries the workload boundary the execution policy demands, nested stacks included', () => {
    let roles = 0;
    for (const stack of built.stacks.flatMap((s) => [s, ...nested(s)])) {
      for (const [id, role] of Object.entries<any>(
        Template.fromStack(stack).findResources('AWS::IAM::Role'),
      )) {
        roles++;
        expect({ id, boundary: JSON.stringify(role.Properties.PermissionsBoundary) }).toEqual({
          id,
          boundary: expect.stringContaining(':policy/stayup-workload-boundary-live'),
        });
        expect(role.Properties.RoleName).toBeUndefined(); // CloudFormation names it stayup-live…
      }
    }
    expect(roles).toBeGreaterThan(10);
  });

  it("lets CloudFormation create HaDns's certificate, records and health checks, records only in the environment's zone", () => {
    // AWS::CertificateManager::Certificate with DomainValidationOptions[].HostedZoneId: CloudFormation
    // requests the certificate and writes the validation CNAMEs into the zone as the execution role
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-certificatemanager-certificate.html);
    // record sets are ChangeResourceRecordSets, followed by GetChange until INSYNC
    // (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html).
    const allows = (action: string, resource: string) =>
      execution.Statement.some(
        (s: any) =>
          s.Effect === 'Allow' &&
          [s.Action].flat().includes(action) &&
          [s.Resource].flat().includes(resource),
      );
    const zone = ENVIRONMENTS.live.aws?.dnsZone.id;
    expect(allows('acm:RequestCertificate', '*')).toBe(true);
    expect(allows('acm:DescribeCertificate', `arn:aws:acm:*:${ACCOUNT}:certificate/*`)).toBe(true);
    expect(allows('route53:ChangeResourceRecordSets', `arn:aws:route53:::hostedzone/${zone}`)).toBe(
      true,
    );
    expect(allows('route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/*')).toBe(
      false,
    );
    expect(allows('route53:CreateHealthCheck', '*')).toBe(true);
    expect(allows('route53:GetChange', 'arn:aws:route53:::change/*')).toBe(true);
  });

  it('allows a service for every resource type the cluster stacks create', () => {
    const service: Record<string, string> = {
      CloudFormation: 'cloudformation',
      EC2: 'ec2',
      EKS: 'eks',
      IAM: 'iam',
      KMS: 'kms',
      Lambda: 'lambda',
      Logs: 'logs',
      SSM: 'ssm',
      StepFunctions: 'states',
      CertificateManager: 'acm',
      Route53: 'route53',
      CloudWatch: 'cloudwatch',
      SNS: 'sns',
    };
    const allowed = execution.Statement.filter((s: any) => s.Effect === 'Allow')
      .flatMap((s: any) => [s.Action].flat())
      .map((a: string) => a.split(':')[0]);
    const types = new Set(
      built.stacks
        .flatMap((s) => [s, ...nested(s)])
        .flatMap((s) => Object.values<any>(Template.fromStack(s).toJSON().Resources))
        .map((r) => r.Type as string),
    );
    for (const type of types) {
      const [, svc] = type.split('::');
      const needs = type.startsWith('Custom::') ? 'lambda' : service[svc];
      expect({ type, allowed: needs !== undefined && allowed.includes(needs) }).toEqual({
        type,
        allowed: true,
      });
    }
  });
});

describe('what CI deploys', () => {
  const pattern = (env: string) => new RegExp(`^${clusterStackPattern(env).replace('*', '.*')}$`);
  let all: ReturnType<typeof buildCdkApp>;
  beforeAll(() => {
    all = buildCdkApp(Object.values(ENVIRONMENTS), {
      outdir: mkdtempSync(join(tmpdir(), 'stayup-p-')),
    });
  });

  // Finding 5: `cdk deploy --all` deployed stayup-delivery-<env> too.
  it.each(['dev', 'staging', 'live'])(
    '%s: the stack pattern selects the cluster stacks and never the delivery stack',
    (env) => {
      const names = [...all.stacks, ...all.delivery].map((s) => s.stackName);
      const selected = names.filter((n) => pattern(env).test(n));
      expect(selected).toEqual(
        all.stacks.filter((s) => s.stackName.startsWith(`stayup-${env}`)).map((s) => s.stackName),
      );
      expect(selected.some((n) => n.startsWith('stayup-delivery-'))).toBe(false);
    },
  );

  it('platform:deploy names that pattern, never --all', () => {
    const project = JSON.parse(readFileSync(join(root, 'apps/platform/project.json'), 'utf8'));
    const command: string = project.targets.deploy.options.command;
    expect(command).not.toMatch(/--all\b/);
    expect(command).toContain('"stayup-${STAYUP_ENV}*" --exclusively');
  });

  it('the README bootstraps each account with the execution policy, not AdministratorAccess', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(
      'npx cdk bootstrap aws://<account>/<region> --cloudformation-execution-policies arn:aws:iam::<account>:policy/stayup-cdk-execution-<env>',
    );
  });
});
