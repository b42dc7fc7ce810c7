import { App, Stack } from 'aws-cdk-lib';
import { HaEksCluster, type HaEksClusterProps } from '../ha-eks-cluster.js';

/* Test fixtures shared by the specs (not part of the package: tsconfig.lib.json excludes it). */

export const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
export const BASE: HaEksClusterProps = {
  clusterName: 'stayup-live',
  vpc: { availabilityZones: ZONES },
  adminPrincipalArns: [
    'arn:aws:iam::111111111111:role/platform-admin',
    'arn:aws:iam::111111111111:role/oncall',
  ],
  publicEndpointCidrs: ['203.0.113.0/24'],
  capacity: { type: 'auto-mode' },
  tags: {
    project: 'stayup',
    environment: 'live',
    owner: 'platform-team',
    'cost-centre': 'cc-1042',
  },
};

export function build(props: Partial<HaEksClusterProps> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Live', { env: { account: '111111111111', region: 'eu-west-1' } });
  const construct = new HaEksCluster(stack, 'Platform', { ...BASE, ...props });
  return { app, stack, construct };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation values are plain JSON */
/** A CloudFormation string (literal or Fn::Join) as text, with references as `${Ref}` markers. */
export function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value.Ref) return `\${${value.Ref}}`;
  if (value['Fn::GetAtt']) return `\${${value['Fn::GetAtt'].join('.')}}`;
  return JSON.stringify(value);
}
