import { RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Default VPC range: room for pods (the VPC CNI gives each pod a VPC address). */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
/** Subnet sizes: /20 private subnets hold 4,091 pod and node addresses each. */
export const PRIVATE_SUBNET_MASK = 20;
/** Public subnets (/24, 251 addresses) hold only load balancers and NAT gateways. */
export const PUBLIC_SUBNET_MASK = 24;

/** NAT strategy: one gateway per zone (a lost zone does not cut the others' egress) or one in all. */
export type NatStrategy = 'per-zone' | 'single';
/** One NAT gateway per zone: a zone's outage must not cut the egress of the others. */
export const DEFAULT_NAT_STRATEGY: NatStrategy = 'per-zone';
/** VPC flow logs kept a month: long enough to investigate an incident, short enough to cost little. */
export const DEFAULT_FLOW_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** Options of {@link HaVpc}. */
export interface HaVpcProps {
  /**
   * Availability zones, explicitly (no lookup at synth time); at least 2.
   * @example ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']
   */
  readonly availabilityZones: readonly string[];
  /** @default '10.0.0.0/16' */
  readonly cidr?: string;
  /**
   * @default 'per-zone'
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html#nat-gateway-basics
   */
  readonly natGateways?: NatStrategy;
  /** Flow log retention. @default logs.RetentionDays.ONE_MONTH */
  readonly flowLogRetention?: logs.RetentionDays;
}

/**
 * A VPC for EKS over 2+ zones: public subnets for load balancers and NAT, private subnets for
 * nodes and pods, tagged so the AWS Load Balancer Controller finds them
 * (`kubernetes.io/role/elb` on public, `kubernetes.io/role/internal-elb` on private), with
 * flow logs to CloudWatch.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html
 */
export class HaVpc extends Construct {
  readonly vpc: ec2.Vpc;
  /** Number of NAT gateways. */
  readonly natGatewayCount: number;

  constructor(scope: Construct, id: string, props: HaVpcProps) {
    super(scope, id);
    const zones = [...props.availabilityZones];
    if (zones.length < 2) {
      throw new Error(
        `'vpc.availabilityZones' (${JSON.stringify(zones)}) must list at least 2 zones: EKS requires ` +
          `subnets in two zones, and one zone is no availability; list three for live`,
      );
    }
    this.natGatewayCount =
      (props.natGateways ?? DEFAULT_NAT_STRATEGY) === 'per-zone' ? zones.length : 1;
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? DEFAULT_VPC_CIDR),
      availabilityZones: zones,
      natGateways: this.natGatewayCount,
      subnetConfiguration: [
        {
          name: 'public',
          subnetType: ec2.SubnetType.PUBLIC,
          cidrMask: PUBLIC_SUBNET_MASK,
          mapPublicIpOnLaunch: false,
        },
        {
          name: 'private',
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: PRIVATE_SUBNET_MASK,
        },
      ],
      restrictDefaultSecurityGroup: true,
    });
    for (const subnet of this.vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of this.vpc.privateSubnets)
      Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets]) {
      Validations.of(subnet).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason:
          'the zones come from the environment file on purpose: synth needs no AWS lookup, and which zones ' +
          'an environment runs in is reviewed like code',
      });
    }
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? DEFAULT_FLOW_LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}
