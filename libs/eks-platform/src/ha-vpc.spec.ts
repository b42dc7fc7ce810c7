import { beforeAll, describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HaVpc, type HaVpcProps } from './ha-vpc.js';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function vpcStack(props: HaVpcProps): Stack {
  const stack = new Stack(new App(), 'Live', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  new HaVpc(stack, 'Network', props);
  return stack;
}

describe('HaVpc', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(vpcStack({ availabilityZones: ZONES }));
  });

  it('builds a VPC over three zones with public and private subnets and a NAT gateway per zone', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    const subnets = template.findResources('AWS::EC2::Subnet');
    const zones = new Set(Object.values(subnets).map((s) => s.Properties.AvailabilityZone));
    expect([...zones].sort()).toEqual(ZONES);
  });

  it('tags public subnets for internet-facing and private subnets for internal load balancers', () => {
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet'));
    const tagged = (key: string) =>
      subnets
        .filter((s) => s.Properties.Tags.some((t: { Key: string }) => t.Key === key))
        .map((s) => s.Properties.MapPublicIpOnLaunch);
    expect(tagged('kubernetes.io/role/elb')).toEqual([false, false, false]);
    expect(tagged('kubernetes.io/role/internal-elb')).toHaveLength(3);
  });

  it('uses one NAT gateway when the environment chooses it', () => {
    Template.fromStack(
      vpcStack({ availabilityZones: ZONES, natGateways: 'single' }),
    ).resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  it('refuses fewer than two zones', () => {
    expect(() => vpcStack({ availabilityZones: ['eu-west-1a'] })).toThrow(
      `'vpc.availabilityZones' (["eu-west-1a"]) must list at least 2 zones`,
    );
  });
});
