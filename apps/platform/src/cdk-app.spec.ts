import { beforeAll, describe, expect, it } from '@jest/globals';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCdkApp } from './cdk-app.js';
import { ENVIRONMENTS } from './environments/index.js';

describe('the CDK app', () => {
  let built: ReturnType<typeof buildCdkApp>;
  const templates = new Map<string, Template>();
  beforeAll(() => {
    built = buildCdkApp(Object.values(ENVIRONMENTS), {
      outdir: mkdtempSync(join(tmpdir(), 'stayup-cdk-')),
    });
    for (const stack of built.stacks) templates.set(stack.stackName, Template.fromStack(stack));
  });

  it('has one stack per environment and region; local has none', () => {
    expect(built.stacks.map((s) => `${s.stackName}@${s.region}/${s.account}`)).toEqual([
      'stayup-dev@eu-west-1/111111111111',
      'stayup-staging@eu-west-1/222222222222',
      'stayup-live@eu-west-1/333333333333',
      'stayup-live-eu-central-1@eu-central-1/333333333333',
    ]);
    expect(built.stacks.find((s) => s.stackName === 'stayup-live')?.terminationProtection).toBe(
      true,
    );
  });

  it.each([
    ['stayup-dev', 2, 1, 2, 'SPOT', true],
    ['stayup-staging', 3, 1, 3, 'ON_DEMAND', true],
    ['stayup-live', 3, 3, 3, 'ON_DEMAND', false],
    ['stayup-live-eu-central-1', 3, 3, 3, 'ON_DEMAND', false],
  ])(
    '%s: %i zones, %i NAT gateway(s), %i nodes at least, %s capacity, public endpoint %s',
    (name, zones, nats, minNodes, capacityType, publicEndpoint) => {
      const t = templates.get(name) as Template;
      t.resourceCountIs('AWS::EC2::Subnet', zones * 2);
      t.resourceCountIs('AWS::EC2::NatGateway', nats);
      t.hasResourceProperties('AWS::EKS::Nodegroup', {
        ScalingConfig: Match.objectLike({ MinSize: minNodes }),
        CapacityType: capacityType,
      });
      t.hasResourceProperties('Custom::AWSCDK-EKS-Cluster', {
        Config: Match.objectLike({
          version: '1.36',
          resourcesVpcConfig: Match.objectLike({ endpointPublicAccess: publicEndpoint }),
        }),
      });
      t.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        }),
      });
    },
  );

  it('gives each environment its admins, and the CI deploy role read-only access, through access entries', () => {
    templates
      .get('stayup-dev')
      ?.resourceCountIs(
        'AWS::EKS::AccessEntry',
        (ENVIRONMENTS.dev.aws?.adminPrincipalArns.length ?? 0) + 1,
      );
    templates.get('stayup-dev')?.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/stayup-github-deploy-dev',
    });
    expect(
      JSON.stringify(templates.get('stayup-dev')?.findResources('AWS::EKS::AccessEntry')),
    ).toContain('AmazonEKSViewPolicy');
    templates.get('stayup-live')?.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::333333333333:role/stayup-platform-admin',
    });
  });

  it("deploys the API's chart into each cluster, with the environment's settings", () => {
    for (const [name, env] of [
      ['stayup-dev', ENVIRONMENTS.dev],
      ['stayup-live', ENVIRONMENTS.live],
    ] as const) {
      const resources = (templates.get(name) as Template).findResources(
        'Custom::AWSCDK-EKS-KubernetesResource',
      );
      const manifests = Object.values(resources).map((r) => JSON.stringify(r.Properties.Manifest));
      const api = manifests.find(
        (m) => m.includes('\\"kind\\":\\"Deployment\\"') && m.includes('stayup-api'),
      );
      expect(api).toBeDefined();
      expect(api).toContain(`stayup-api:${env.api.imageTag}`);
      expect(api).toContain(
        `\\"SHUTDOWN_DELAY_MS\\",\\"value\\":\\"${env.api.drainDelaySeconds * 1000}\\"`,
      );
      expect(api).toContain(env.aws?.vpcCidr);
      expect(api).toContain(env.api.hosts[0]);
    }
  });

  it('tags resources with project, environment, owner and cost centre', () => {
    const t = templates.get('stayup-staging') as Template;
    for (const type of ['AWS::EC2::VPC', 'AWS::KMS::Key', 'AWS::EC2::NatGateway']) {
      for (const resource of Object.values(t.findResources(type))) {
        expect(resource.Properties.Tags).toEqual(
          expect.arrayContaining([
            { Key: 'project', Value: 'stayup' },
            { Key: 'environment', Value: 'staging' },
            { Key: 'owner', Value: 'platform-team' },
            { Key: 'cost-centre', Value: 'cc-1042' },
          ]),
        );
      }
    }
  });

  it('passes cdk-nag AwsSolutions on every stack: every finding acknowledged with a reason, none left', () => {
    const byRule = new Map<string, number>();
    for (const a of built.acknowledged) {
      const rule = a.rule.split('[')[0];
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      expect(a.reason.length).toBeGreaterThan(40);
    }
    console.log(
      `cdk-nag AwsSolutions: ${built.acknowledged.length} findings acknowledged over ${built.stacks.length} stacks: ${JSON.stringify(Object.fromEntries(byRule))}`,
    );
    for (const stack of built.stacks) {
      expect(new AwsSolutionsChecks(built.app).validateScope(stack).violations).toEqual([]);
    }
  });

  it('synthesizes the cloud assembly with the nag plugin attached', () => {
    const assembly = built.app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      'stayup-delivery-dev',
      'stayup-delivery-live',
      'stayup-delivery-staging',
      'stayup-dev',
      'stayup-live',
      'stayup-live-eu-central-1',
      'stayup-staging',
    ]);
  });

  it('fails synth on a finding nobody acknowledged', () => {
    const fresh = buildCdkApp([ENVIRONMENTS.dev], {
      outdir: mkdtempSync(join(tmpdir(), 'stayup-cdk-')),
    });
    new Bucket(fresh.stacks[0], 'Unencrypted'); // no SSL-only policy, no access logs: AwsSolutions-S1, S10
    expect(() => fresh.app.synth()).toThrow(/AwsSolutions-S(1|10)/);
  });

  it('refuses an environment whose zones do not match its region, naming the field', () => {
    const live = ENVIRONMENTS.live;
    const aws = live.aws as NonNullable<typeof live.aws>;
    const broken = {
      ...live,
      aws: {
        ...aws,
        primary: {
          region: 'eu-west-1',
          availabilityZones: ['eu-west-1a', 'us-east-1b', 'eu-west-1c'],
        },
      },
    };
    expect(() =>
      buildCdkApp([broken], { outdir: mkdtempSync(join(tmpdir(), 'stayup-cdk-')) }),
    ).toThrow(
      `'environments.live.aws.primary.availabilityZones' (["eu-west-1a","us-east-1b","eu-west-1c"]) must list 3 zones of eu-west-1 (the environment's 'zones'): e.g. 'eu-west-1a'`,
    );
  });
});
