import { describe, expect, it } from '@jest/globals';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HaEksCluster } from './ha-eks-cluster.js';
import { acknowledgeFindings } from './nag-acknowledgements.js';

function build() {
  const app = new App();
  const stack = new Stack(app, 'Live', { env: { account: '111111111111', region: 'eu-west-1' } });
  new HaEksCluster(stack, 'Platform', {
    clusterName: 'stayup-live',
    vpc: { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
    adminPrincipalArns: [
      'arn:aws:iam::111111111111:role/platform-admin',
      'arn:aws:iam::111111111111:role/oncall',
    ],
    publicEndpointCidrs: ['203.0.113.0/24'],
    capacity: { type: 'managed-nodes', minSize: 3, maxSize: 9 },
    tags: {
      project: 'stayup',
      environment: 'live',
      owner: 'platform-team',
      'cost-centre': 'cc-1042',
    },
  });
  return { app, stack };
}

describe('acknowledgeFindings', () => {
  it('has no unacknowledged AwsSolutions finding, and every acknowledgement names rule, resource and reason', () => {
    const { stack: fresh, app } = build();
    const before = new AwsSolutionsChecks(app).validateScope(fresh);
    const applied = acknowledgeFindings(fresh, before);
    const after = new AwsSolutionsChecks(app).validateScope(fresh);
    const count = (r: typeof before) =>
      r.violations.reduce((n, v) => n + v.violatingResources.length, 0);
    console.log(
      `cdk-nag AwsSolutions on HaEksCluster: ${count(before)} findings across ${new Set(before.violations.map((v) => v.ruleName.split('[')[0])).size} rules; ` +
        `${applied.length} acknowledged; ${count(after)} left`,
    );
    expect(after.violations).toEqual([]);
    for (const a of applied) {
      expect(a.rule).toMatch(/^AwsSolutions-/);
      expect(a.constructPath).toMatch(/^Live\//);
      expect(a.reason.length).toBeGreaterThan(40);
    }
  });
});
