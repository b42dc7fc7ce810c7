import { describe, expect, it } from '@jest/globals';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeFindings } from './nag-acknowledgements.js';
import { build } from './private/testing.js';

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
