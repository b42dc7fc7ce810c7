import { describe, expect, it } from '@jest/globals';
import { SEED_LIKE } from './seed-like.fixture.js';
import { validateSchemas } from './validate-schemas.js';

describe('validateSchemas', () => {
  it('accepts valid objects', async () => {
    expect(await validateSchemas(SEED_LIKE)).toEqual([]);
  });

  it('reports type errors, missing required fields and unknown kinds', async () => {
    const findings = await validateSchemas([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'a' },
        spec: { replicas: 'two', selector: {}, template: {} },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'b' },
        spec: { ports: [{ port: 'http' }] },
      },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'c' } },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'd' },
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] },
      },
    ]);
    expect(findings.map((f) => f.object)).toEqual([
      'Deployment/a',
      'Service/b',
      'Widget/c',
      'PrometheusRule/d',
    ]);
    expect(findings[0].message).toMatch(/replicas/);
    expect(findings[1].message).toMatch(/port/);
    expect(findings[2].message).toBe('no schema for example.com/v1/Widget');
    expect(findings[3].message).toBe('spec.groups[0].rules[0] needs expr and alert (or record)');
  });
});
