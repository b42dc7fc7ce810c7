import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { HaEksClusterProps } from './ha-eks-cluster.js';
import { build } from './private/testing.js';

describe('HaEksCluster', () => {
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    ({ stack } = build());
    template = Template.fromStack(stack);
  });

  it('creates EKS 1.36 with access entries, every log type, encrypted secrets and a restricted public endpoint', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-Cluster', {
      Config: Match.objectLike({
        name: 'stayup-live',
        version: '1.36',
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        logging: {
          clusterLogging: [
            {
              enabled: true,
              types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
            },
          ],
        },
        encryptionConfig: [Match.objectLike({ resources: ['secrets'] })],
        resourcesVpcConfig: Match.objectLike({
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
          publicAccessCidrs: ['203.0.113.0/24'],
        }),
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/oncall',
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: Match.anyValue() }],
    });
    expect(JSON.stringify(template.findResources('AWS::EKS::AccessEntry'))).toContain(
      ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
  });

  it('makes the endpoint private only when no CIDRs are given', () => {
    const { stack: priv } = build({ publicEndpointCidrs: [] });
    Template.fromStack(priv).hasResourceProperties('Custom::AWSCDK-EKS-Cluster', {
      Config: Match.objectLike({
        resourcesVpcConfig: Match.objectLike({
          endpointPublicAccess: false,
          endpointPrivateAccess: true,
        }),
      }),
    });
  });

  it('runs managed nodes in the private subnets of every zone with IMDSv2 required', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: 3, MaxSize: 9, DesiredSize: 3 },
      AmiType: 'AL2023_ARM_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      InstanceTypes: ['m7g.large'],
      Subnets: Match.arrayWith([
        Match.objectLike({ Ref: Match.stringLikeRegexp('privateSubnet1') }),
      ]),
    });
    const subnets = template.findResources('AWS::EKS::Nodegroup');
    expect(Object.values(subnets)[0].Properties.Subnets).toHaveLength(3);
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      }),
    });
  });

  it('installs the ALB controller with its IAM, metrics-server, the cluster autoscaler, the CNI with network policies, pod identity and Container Insights', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'aws-load-balancer-controller',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['elasticloadbalancing:CreateLoadBalancer']),
          }),
        ]),
      },
    });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'cluster-autoscaler',
      Version: '9.43.1',
      Namespace: 'kube-system',
    });
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: '{"enableNetworkPolicy":"true"}',
    });
    for (const name of [
      'metrics-server',
      'eks-pod-identity-agent',
      'amazon-cloudwatch-observability',
    ]) {
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: name });
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'autoscaling:SetDesiredCapacity',
              'autoscaling:TerminateInstanceInAutoScalingGroup',
            ],
            Condition: {
              StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/stayup-live': 'owned' },
            },
          }),
        ]),
      },
    });
  });

  it('opens no security group to the internet and gives nodes no SSH access', () => {
    const ingress = [
      ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(
        (r) => r.Properties,
      ),
      ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap(
        (r) => r.Properties.SecurityGroupIngress ?? [],
      ),
    ];
    expect(
      ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0'),
    ).toEqual([]);
    for (const group of Object.values(template.findResources('AWS::EKS::Nodegroup'))) {
      expect(group.Properties.RemoteAccess).toBeUndefined();
    }
  });

  it('pins add-on versions when given', () => {
    const { stack: pinned } = build({ addonVersions: { 'vpc-cni': 'v1.20.4-eksbuild.1' } });
    Template.fromStack(pinned).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      AddonVersion: 'v1.20.4-eksbuild.1',
    });
  });

  it('runs on Fargate when the environment chooses it: no node group, no autoscaler', () => {
    const { stack: fargate } = build({ capacity: { type: 'fargate', namespaces: ['stayup'] } });
    const t = Template.fromStack(fargate);
    t.resourceCountIs('AWS::EKS::Nodegroup', 0);
    t.hasResourceProperties('Custom::AWSCDK-EKS-FargateProfile', {
      Config: Match.objectLike({
        selectors: [{ namespace: 'kube-system' }, { namespace: 'stayup' }],
      }),
    });
  });

  it('tags every taggable resource with project, environment, owner and cost centre', () => {
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::EC2::Subnet',
      'AWS::EC2::NatGateway',
      'AWS::KMS::Key',
      'AWS::EKS::Nodegroup',
    ]) {
      for (const resource of Object.values(template.findResources(type))) {
        const tags = resource.Properties.Tags;
        const keys = Array.isArray(tags)
          ? tags.map((t: { Key: string }) => t.Key)
          : Object.keys(tags);
        expect(keys).toEqual(
          expect.arrayContaining(['project', 'environment', 'owner', 'cost-centre']),
        );
      }
    }
  });

  it.each([
    [{ clusterName: '1bad' }, `'clusterName' (1bad) must start with a letter`],
    [{ adminPrincipalArns: [] }, `'adminPrincipalArns' ([]) must list at least one IAM principal`],
    [
      { adminPrincipalArns: ['bob'] },
      `'adminPrincipalArns[0]' (bob) must be an IAM role or user ARN`,
    ],
    [
      { capacity: { type: 'managed-nodes', minSize: 2, maxSize: 4 } },
      `'capacity.minSize' (2) must be at least the number of zones (3): one node per zone, or losing a zone loses all capacity; raise minSize`,
    ],
    [
      { vpc: { availabilityZones: ['eu-west-1a'] } },
      `'vpc.availabilityZones' (["eu-west-1a"]) must list at least 2 zones`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => build(props as Partial<HaEksClusterProps>)).toThrow(message);
  });
});
