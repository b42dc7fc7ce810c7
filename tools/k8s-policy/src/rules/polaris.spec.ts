import { describe, expect, it } from '@jest/globals';
import type { K8sObject } from '../manifest.js';
import { checkPolicies } from '../policy-rules.js';
import { SEED_LIKE } from '../seed-like.fixture.js';
import { POLARIS_RULES } from './polaris.js';

/** A Deployment whose one container has these env vars. */
const withEnv = (env: object[]): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'lemon' },
  spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1.0.0', env }] } } },
});

describe('Polaris rules', () => {
  const findings = checkPolicies(SEED_LIKE, POLARIS_RULES);
  const rules = new Set(findings.map((f) => f.rule));

  it.each([
    'polaris/runAsRootAllowed',
    'polaris/privilegeEscalationAllowed',
    'polaris/notReadOnlyRootFilesystem',
    'polaris/insecureCapabilities',
    'polaris/cpuRequestsMissing',
    'polaris/memoryLimitsMissing',
    'polaris/tagNotSpecified',
    'polaris/sensitiveContainerEnvVar',
    'polaris/automountServiceAccountToken',
    'polaris/linuxHardening',
    'polaris/topologySpreadConstraint',
    'polaris/missingNetworkPolicy',
    'polaris/metadataAndInstanceMismatched',
    'polaris/pdbMinAvailableGreaterThanHPAMinReplicas',
    'polaris/hpaMinAvailability',
    'polaris/hpaMaxAvailability',
  ])('%s catches the seed-style manifests', (rule) => {
    expect(rules).toContain(rule);
  });

  it('sensitiveContainerEnvVar flags a literal under any SECRET_NAME name, not a secretKeyRef', () => {
    const sensitive = (env: object[]) =>
      checkPolicies([withEnv(env)], POLARIS_RULES).filter(
        (f) => f.rule === 'polaris/sensitiveContainerEnvVar',
      );
    expect(
      sensitive([
        { name: 'DB_PASSWD', value: 'x' },
        { name: 'STRIPE_API_KEY', value: 'x' },
        { name: 'LOG_LEVEL', value: 'info' },
      ]),
    ).toEqual([
      {
        rule: 'polaris/sensitiveContainerEnvVar',
        object: 'Deployment/lemon/api:api',
        message: 'literal value for DB_PASSWD, STRIPE_API_KEY',
      },
    ]);
    expect(
      sensitive([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }]),
    ).toEqual([]);
  });

  it('honours the exemption annotations on the controller, as Polaris does', () => {
    // FairwindsOps/polaris docs/customization/exemptions.md: polaris.fairwinds.com/exempt=true
    // exempts a controller from every check, polaris.fairwinds.com/<check>-exempt=true from one
    const annotated = (annotations: Record<string, string>): K8sObject => {
      const base = withEnv([]);
      return { ...base, metadata: { ...base.metadata, annotations } };
    };
    const rules = (o: K8sObject) =>
      checkPolicies([o], POLARIS_RULES)
        .map((f) => f.rule)
        .filter((r) => r.endsWith('ProbeMissing'));
    expect(rules(annotated({}))).toEqual([
      'polaris/readinessProbeMissing',
      'polaris/livenessProbeMissing',
    ]);
    expect(
      rules(annotated({ 'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true' })),
    ).toEqual(['polaris/livenessProbeMissing']);
    expect(rules(annotated({ 'polaris.fairwinds.com/exempt': 'true' }))).toEqual([]);
    expect(rules(annotated({ 'polaris.fairwinds.com/exempt': 'false' }))).toHaveLength(2);
  });
});
