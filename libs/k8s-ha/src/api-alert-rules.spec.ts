import { describe, expect, it } from '@jest/globals';
import { ApiAlertRules } from './api-alert-rules.js';
import { withDeployment, only } from './private/testing.js';

describe('ApiAlertRules', () => {
  it('emits a PrometheusRule with availability and latency alerts', () => {
    const rule = only(
      withDeployment((c, d) => new ApiAlertRules(c, 'a', { deployment: d })),
      'PrometheusRule',
    );
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.metadata.labels.release).toBe('prometheus');
    const alerts = rule.spec.groups.flatMap((g: { rules: Array<{ alert: string }> }) =>
      g.rules.map((r) => r.alert),
    );
    expect(alerts).toEqual(['ApiHighErrorRatio', 'ApiReplicasUnavailable', 'ApiHighLatencyP99']);
    expect(rule.spec.groups[0].rules[0].expr).toBe(
      'sum(rate(http_request_duration_seconds_count{namespace="api",pod=~"api-.*",status_code=~"5.."}[5m])) / ' +
        'sum(rate(http_request_duration_seconds_count{namespace="api",pod=~"api-.*"}[5m])) > 0.01',
    );
  });

  it('refuses an error ratio outside (0, 1)', () => {
    expect(() =>
      withDeployment((c, d) => new ApiAlertRules(c, 'a', { deployment: d, maxErrorRatio: 1.5 })),
    ).toThrow(`'alerts.maxErrorRatio' (1.5) must be between 0 and 1: e.g. 0.01 for 1 %`);
  });
});
