import { beforeAll, describe, expect, it } from '@jest/globals';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStack } from './cluster-stack.js';
import { scraperNamespaceFor } from './api-chart.js';
import { buildCdkApp } from './cdk-app.js';
import { ENVIRONMENTS } from './environments/index.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation resources are plain JSON */

/** The Kubernetes objects a template applies through the kubectl handler (tokens as markers). */
function manifestsOf(t: Template): any[] {
  const flatten = (v: any): string =>
    typeof v === 'string'
      ? v
      : v['Fn::Join']
        ? v['Fn::Join'][1].map(flatten).join(v['Fn::Join'][0])
        : '<token>';
  return Object.values(t.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap((r) =>
    JSON.parse(flatten(r.Properties.Manifest)),
  );
}

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
    ['stayup-dev', 2, 1, ['spot', 'on-demand'], true],
    ['stayup-staging', 3, 1, ['on-demand'], true],
    ['stayup-live', 3, 3, ['on-demand'], false],
    ['stayup-live-eu-central-1', 3, 3, ['on-demand'], false],
  ])(
    '%s: %i zones, %i NAT gateway(s), Auto Mode on %j capacity, public endpoint %s',
    (name, zones, nats, capacityTypes, publicEndpoint) => {
      const t = templates.get(name) as Template;
      t.resourceCountIs('AWS::EC2::Subnet', zones * 2);
      t.resourceCountIs('AWS::EC2::NatGateway', nats);
      t.resourceCountIs('AWS::EKS::Nodegroup', 0);
      t.hasResourceProperties('AWS::EKS::Cluster', {
        Version: '1.36',
        ComputeConfig: Match.objectLike({ Enabled: true }),
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: publicEndpoint }),
      });
      const pool = manifestsOf(t).find((o) => o.kind === 'NodePool');
      expect(pool.spec.template.spec.requirements).toContainEqual({
        key: 'karpenter.sh/capacity-type',
        operator: 'In',
        values: capacityTypes,
      });
    },
  );

  it('gives each environment its admins through access entries, and CI no access to the cluster', () => {
    // Issue 11 item 5: CI never talks to the Kubernetes API; the in-VPC kubectl handler deploys
    const entries = JSON.stringify(
      templates.get('stayup-dev')?.findResources('AWS::EKS::AccessEntry'),
    );
    expect(entries).not.toContain('stayup-github-deploy-dev');
    expect(entries).not.toContain('AmazonEKSViewPolicy');
    for (const arn of ENVIRONMENTS.dev.aws?.adminPrincipalArns ?? [])
      expect(entries).toContain(arn);
    templates.get('stayup-live')?.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::333333333333:role/stayup-platform-admin',
    });
  });

  it('deploys the API as a Helm release of its generated chart, waiting for the rollout, after its namespace and the load balancer controller', () => {
    for (const [name, env] of [
      ['stayup-dev', ENVIRONMENTS.dev],
      ['stayup-live', ENVIRONMENTS.live],
    ] as const) {
      const t = templates.get(name) as Template;
      const charts = t.findResources('Custom::AWSCDK-EKS-HelmChart');
      const [id, api] = Object.entries(charts).find(
        ([, c]) => c.Properties.Release === 'stayup-api',
      ) as [string, any];
      expect(api.Properties).toMatchObject({
        Namespace: env.namespace,
        Wait: true,
        Timeout: '720s',
        Atomic: true,
      });
      expect(api.Properties.ChartAssetURL).toBeDefined();
      const lbc = Object.keys(charts).find(
        (k) => charts[k].Properties.Chart === 'aws-load-balancer-controller',
      ) as string;
      const namespace = Object.entries(
        t.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
      ).find(([, r]) =>
        JSON.stringify(r.Properties.Manifest).includes('\\"kind\\":\\"Namespace\\"'),
      ) as [string, unknown];
      expect(charts[id].DependsOn).toEqual(expect.arrayContaining([lbc, namespace[0]]));
      // the chart written for this stack holds the environment's settings
      const stack = built.stacks.find((s) => s.stackName === name) as ClusterStack;
      const objects = stack.apiChart.toJson();
      const text = JSON.stringify(objects);
      expect(text).toContain(`stayup-api:${env.api.imageTag}`);
      expect(text).toContain(`"SHUTDOWN_DELAY_MS","value":"${env.api.drainDelaySeconds * 1000}"`);
      expect(text).toContain(env.aws?.primary.vpcCidr);
      expect(text).toContain(env.api.hosts[0]);
    }
  });

  it("scrapes the API's metrics port into CloudWatch and alarms on 5xx, shedding and replicas, notifying an encrypted topic", () => {
    // The CloudWatch agent keeps counters and drops histograms, hence http_requests_total:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-metrics-conversion.html
    // Alarm actions on an SNS topic encrypted with a key CloudWatch may use:
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    for (const stack of built.stacks as ClusterStack[]) {
      const t = templates.get(stack.stackName) as Template;
      const env = Object.values(ENVIRONMENTS).find((e) =>
        stack.stackName.startsWith(`stayup-${e.name}`),
      );
      // the API's NetworkPolicy admits the scraper's namespace on the metrics port
      const policy = stack.apiChart.toJson().find((o: any) => o.kind === 'NetworkPolicy');
      expect(policy.spec.ingress).toContainEqual({
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'amazon-cloudwatch' },
            },
          },
        ],
        ports: [{ port: 9464, protocol: 'TCP' }],
      });
      const alarms = Object.values<any>(t.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.map((a) => a.Properties.AlarmDescription).sort()).toEqual([
        `More than 1 % of ${env?.namespace}/stayup-api's requests answered 5xx`,
        `${env?.namespace}/stayup-api has fewer than ${env?.api.replicas.min} available replicas`,
        `${env?.namespace}/stayup-api is shedding requests`,
        `${env?.namespace}/stayup-api's p99 latency is above 0.5 s`,
      ]);
      const topic = Object.keys(t.findResources('AWS::SNS::Topic'))[0];
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(Object.keys(t.toJSON().Outputs)).toContainEqual(
        expect.stringMatching(/^ApiAlarmTopicArn/),
      );
    }
    // local has no AWS: k8s-ha's default monitoring namespace
    expect(scraperNamespaceFor(ENVIRONMENTS.local)).toBeUndefined();
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
      // the replica's repository template, deployed before the delivery stack's replication
      'stayup-delivery-live-eu-central-1',
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
          ...aws.primary,
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
