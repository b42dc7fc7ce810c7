import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { HaEksClusterProps } from './ha-eks-cluster.js';
import { CLOUDWATCH_OBSERVABILITY_ADDON } from './cluster-observability.js';
import { PROMETHEUS_SCRAPER_AGENT } from './prometheus-scraper-agent.js';
import { build, flatten } from './private/testing.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation resources are plain JSON */

describe('HaEksCluster', () => {
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    ({ stack } = build());
    template = Template.fromStack(stack);
  });
  /** The add-on of that name, as [logical id, resource]. */
  const addonNamed = (name: string) =>
    Object.entries(template.findResources('AWS::EKS::Addon')).find(
      ([, a]) => a.Properties.AddonName === name,
    ) as [string, any];
  /** Logical id of the kubectl resource that applies the workload NodePool. */
  const nodePoolId = () =>
    (
      Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).find(
        ([, r]) => flatten(r.Properties.Manifest).includes('NodePool'),
      ) as [string, unknown]
    )[0];
  const manifests = () =>
    Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).flatMap(
      (r: any) => JSON.parse(flatten(r.Properties.Manifest)) as any[],
    );

  it('is a native EKS 1.36 cluster in Auto Mode, with access entries only, every log type, encrypted secrets and a restricted public endpoint', () => {
    // aws-eks-v2: AWS::EKS::Cluster itself, no custom-resource cluster, no nested stacks
    template.resourceCountIs('Custom::AWSCDK-EKS-Cluster', 0);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'stayup-live',
      Version: '1.36',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      ComputeConfig: Match.objectLike({ Enabled: true, NodePools: ['system'] }),
      KubernetesNetworkConfig: Match.objectLike({ ElasticLoadBalancing: { Enabled: true } }),
      StorageConfig: { BlockStorage: { Enabled: true } },
      Logging: {
        ClusterLogging: {
          EnabledTypes: [
            { Type: 'api' },
            { Type: 'audit' },
            { Type: 'authenticator' },
            { Type: 'controllerManager' },
            { Type: 'scheduler' },
          ],
        },
      },
      EncryptionConfig: [Match.objectLike({ Resources: ['secrets'] })],
      ResourcesVpcConfig: Match.objectLike({
        EndpointPublicAccess: true,
        EndpointPrivateAccess: true,
        PublicAccessCidrs: ['203.0.113.0/24'],
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/oncall',
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: Match.anyValue() }],
    });
  });

  it('gives the kubectl handler a cluster-admin access entry, so what it applies is authorized', () => {
    // Issue 11, item 1: with aws-eks, every manifest ran as the creation role, which had no
    // access entry (authentication mode API, no creator admin): Unauthorized on the first
    // deploy. aws-eks-v2 grants the handler's role cluster-admin when kubectlProviderOptions is
    // set (aws-cdk-lib aws-eks-v2/lib/cluster.ts, grantClusterAdmin('ClusterAdminRoleAccess', …)).
    const entries = Object.values(template.findResources('AWS::EKS::AccessEntry')) as any[];
    const admin = entries.filter((e) =>
      JSON.stringify(e.Properties.AccessPolicies).includes('AmazonEKSClusterAdminPolicy'),
    );
    expect(admin.length).toBe(3); // two listed admins + the kubectl handler
    const handlerEntry = admin.find((e) => typeof e.Properties.PrincipalArn !== 'string');
    expect(JSON.stringify(handlerEntry.Properties.PrincipalArn)).toMatch(/Kubectl|Handler/);
  });

  it('runs workloads on a pool whose NodeClass enforces NetworkPolicies, with its node role admitted', () => {
    // https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html: the ConfigMap turns
    // the controller on; only nodes of a NodeClass with networkPolicy enforce policies
    const objects = manifests();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'ConfigMap/amazon-vpc-cni',
        'NodeClass/ha-workloads',
        'NodePool/ha-workloads',
      ]),
    );
    const configMap = objects.find((o) => o.kind === 'ConfigMap');
    expect(configMap.data).toEqual({ 'enable-network-policy-controller': 'true' });
    const nodeClass = objects.find((o) => o.kind === 'NodeClass');
    expect(nodeClass.spec.networkPolicy).toBe('DefaultAllow');
    const pool = objects.find((o) => o.kind === 'NodePool');
    expect(pool.spec.template.spec.nodeClassRef).toEqual({
      group: 'eks.amazonaws.com',
      kind: 'NodeClass',
      name: 'ha-workloads',
    });
    expect(pool.spec.template.spec.requirements).toContainEqual({
      key: 'kubernetes.io/arch',
      operator: 'In',
      values: ['arm64', 'amd64'],
    });
    // a custom NodeClass's role needs an EC2 access entry with AmazonEKSAutoNodePolicy
    // (https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html)
    const ec2Entries = Object.values(template.findResources('AWS::EKS::AccessEntry')).filter(
      (e: any) => e.Properties.Type === 'EC2',
    );
    expect(ec2Entries).toHaveLength(1);
    expect(JSON.stringify(ec2Entries[0])).toContain('AmazonEKSAutoNodePolicy');
  });

  it('makes the endpoint private only when no CIDRs are given', () => {
    const { stack: priv } = build({ publicEndpointCidrs: [] });
    Template.fromStack(priv).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({
        EndpointPublicAccess: false,
        EndpointPrivateAccess: true,
      }),
    });
  });

  it('runs the AWS Load Balancer Controller on Pod Identity, from its own region, and waits for it', () => {
    const charts = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')) as any[];
    const lbc = charts.find((c) => c.Properties.Chart === 'aws-load-balancer-controller');
    expect(lbc.Properties.Wait).toBe(true);
    const values = JSON.parse(flatten(lbc.Properties.Values));
    // issue 11 item 6: aws-eks-v2's albController pulls from us-west-2 in every region
    expect(values.image.repository).toBe(
      '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-load-balancer-controller',
    );
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system',
      ServiceAccount: 'aws-load-balancer-controller',
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
    // no OIDC provider: nothing uses IRSA
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
  });

  it('installs metrics-server for the HPA, overwriting conflicts, after the nodes', () => {
    const [id, addon] = addonNamed('metrics-server');
    expect(addon.Properties.ResolveConflicts).toBe('OVERWRITE');
    expect(addon.DependsOn).toContain(nodePoolId());
    expect(id).toMatch(/MetricsServer/);
    // no cluster autoscaler, no node group, no Fargate: Auto Mode scales the compute
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.resourceCountIs('AWS::EKS::FargateProfile', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('cluster-autoscaler');
  });

  it('installs the CloudWatch observability add-on after the nodes, its agents on Pod Identity, scraping the pods', () => {
    // Add-on name, the `cloudwatch-agent` service account and Pod Identity (add-on 3.1.0+):
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html
    // The add-on on an Auto Mode cluster: https://aws-samples.github.io/sample-aws-eks-auto-mode/docs/examples/observability
    // Classic (enhanced) Container Insights stays the add-on's default, OTel off:
    // aws-observability/helm-charts@71a298ff values.yaml (`containerInsights.enabled: true`)
    const [id, addon] = addonNamed(CLOUDWATCH_OBSERVABILITY_ADDON);
    expect(id).toMatch(/Observability/);
    expect(addon.Properties.ResolveConflicts).toBe('OVERWRITE');
    expect(addon.Properties.PodIdentityAssociations).toEqual([
      { ServiceAccount: 'cloudwatch-agent', RoleArn: expect.anything() },
    ]);
    expect(addon.DependsOn).toContain(nodePoolId());
    expect(flatten(addon.Properties.ConfigurationValues)).toContain(PROMETHEUS_SCRAPER_AGENT);

    const { stack: none, construct } = build({ observability: false });
    expect(construct.observability).toBeUndefined();
    expect(
      Object.values(Template.fromStack(none).findResources('AWS::EKS::Addon')).map(
        (a: any) => a.Properties.AddonName,
      ),
    ).not.toContain(CLOUDWATCH_OBSERVABILITY_ADDON);
    const { stack: pinned } = build({
      addonVersions: { [CLOUDWATCH_OBSERVABILITY_ADDON]: 'v6.7.0-eksbuild.1' },
    });
    Template.fromStack(pinned).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      AddonVersion: 'v6.7.0-eksbuild.1',
    });
  });

  it('opens no security group to the internet', () => {
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
  });

  it('pins add-on versions when given', () => {
    const { stack: pinned } = build({ addonVersions: { 'metrics-server': 'v0.8.0-eksbuild.1' } });
    Template.fromStack(pinned).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'metrics-server',
      AddonVersion: 'v0.8.0-eksbuild.1',
    });
  });

  it('tags every taggable resource with project, environment, owner and cost centre', () => {
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::EC2::Subnet',
      'AWS::EC2::NatGateway',
      'AWS::KMS::Key',
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
      { capacity: { type: 'auto-mode', architectures: [] } },
      `'architectures' ([]) must list one or more of arm64, amd64`,
    ],
    [
      { vpc: { availabilityZones: ['eu-west-1a'] } },
      `'vpc.availabilityZones' (["eu-west-1a"]) must list at least 2 zones`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => build(props as Partial<HaEksClusterProps>)).toThrow(message);
  });

  it("keeps pods off the nodes' instance metadata: no IMDS setting in the NodeClass, no hostNetwork pod", () => {
    // "EKS Auto Mode enforces IMDSv2 with a hop limit of 1 by default [...] This default
    // configuration cannot be modified in Auto Mode. [...] If a Pod absolutely requires IMDS
    // access [...] the Pod must be configured to run with `hostNetwork: true`"
    // (https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html, "Instance
    // Metadata Service"; awsdocs/amazon-eks-user-guide latest/ug/automode/automode-learn-instances.adoc).
    const objects = manifests();
    const nodeClass = objects.find((o) => o.kind === 'NodeClass');
    expect(Object.keys(nodeClass.spec).sort()).toEqual(
      ['networkPolicy', 'networkPolicyEventLogs', 'role'].sort(),
    );
    expect(JSON.stringify(nodeClass.spec)).not.toMatch(/metadata|imds|hop/i);
    const hostNetwork = (o: unknown): boolean =>
      typeof o === 'object' &&
      o !== null &&
      Object.entries(o).some(([k, v]) => (k === 'hostNetwork' && v === true) || hostNetwork(v));
    expect(objects.filter(hostNetwork).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
  });
});
