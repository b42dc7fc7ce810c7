import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from './manifest.js';
import { checkPolicies, POLICY_RULES } from './policy-rules.js';
import { validateSchemas } from './validate-schemas.js';

/**
 * Manifests in the style of the seed exercise's chart: a NodePort Service, an HPA with min 1, a
 * PDB that blocks drains, no security context, a NetworkPolicy whose selector matches nothing.
 */
const SEED_LIKE = parseAllDocuments(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: lemon-api, namespace: lemon, labels: { app.kubernetes.io/instance: lemon } }
spec:
  replicas: 1
  selector: { matchLabels: { app: lemon-api } }
  template:
    metadata: { labels: { app: lemon-api } }
    spec:
      containers:
        - name: api
          image: sdbaner/lemon-api:latest
          ports: [{ containerPort: 80 }]
          env: [{ name: DB_PASSWORD, value: hunter2 }]
          livenessProbe: { httpGet: { path: /alive, port: 80 } }
          readinessProbe: { httpGet: { path: /alive, port: 80 } }
---
apiVersion: v1
kind: Service
metadata: { name: lemon-api, namespace: lemon }
spec:
  type: NodePort
  selector: { app: lemon-api }
  ports: [{ port: 80, targetPort: web }]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: lemon-api, namespace: lemon }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: lemon-api }
  minReplicas: 1
  maxReplicas: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: lemon-api, namespace: lemon }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: lemon-api } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: lemon-api, namespace: lemon }
spec:
  podSelector: { matchLabels: { app: lemon } }
  policyTypes: [Ingress]
`).map((d) => d.toJS() as K8sObject);

describe('policy rules', () => {
  const findings = checkPolicies(SEED_LIKE);
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
    'kube-score/container-resources',
    'kube-score/container-ephemeral-storage-request-and-limit',
    'kube-score/container-image-tag',
    'kube-score/container-image-pull-policy',
    'kube-score/container-security-context-user-group-id',
    'kube-score/pod-probes',
    'kube-score/pod-networkpolicy',
    'kube-score/deployment-has-host-podantiaffinity',
    'kube-score/deployment-targeted-by-hpa-does-not-have-replicas',
    'kube-score/networkpolicy-targets-pod',
    'kube-score/service-type',
    'kube-linter/run-as-non-root',
    'kube-linter/latest-tag',
    'kube-linter/env-var-secret',
    'kube-linter/invalid-target-ports',
    'kube-linter/dangling-networkpolicy',
    'kube-linter/pdb-unhealthy-pod-eviction-policy',
  ])('%s catches the seed-style manifests', (rule) => {
    expect(rules).toContain(rule);
  });

  it('names the object and says what is wrong', () => {
    expect(findings).toContainEqual({
      rule: 'kube-score/service-type',
      object: 'Service/lemon/lemon-api',
      message: 'type NodePort',
    });
    expect(findings).toContainEqual({
      rule: 'kube-score/pod-probes',
      object: 'Deployment/lemon/lemon-api',
      message: 'readiness and liveness probes are identical',
    });
  });

  it('catches a PDB that blocks every drain and a missing PDB', () => {
    const blocked = checkPolicies([
      { ...SEED_LIKE[0] },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'x', namespace: 'lemon' },
        spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'lemon-api' } } },
      },
    ]).map((f) => f.rule);
    expect(blocked).toEqual(
      expect.arrayContaining(['polaris/pdbDisruptionsIsZero', 'kube-linter/pdb-max-unavailable']),
    );
    const missing = checkPolicies([SEED_LIKE[0]]).map((f) => f.rule);
    expect(missing).toEqual(
      expect.arrayContaining([
        'polaris/missingPodDisruptionBudget',
        'kube-score/deployment-has-poddisruptionbudget',
      ]),
    );
  });

  it('has unique rule ids from the three tools', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^(polaris|kube-score|kube-linter)\//.test(id))).toBe(true);
  });
});

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
