import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import { fixture, fixtureTemplate } from '../fixtures/index.ts';
import { builtinStatus } from '../k8s-apis.ts';
import type { CfnResource, Template } from '../types.ts';
import { apiServed } from './api-served.ts';

// Removed APIs: https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v1-25
// (policy/v1beta1 PodDisruptionBudget); a custom kind needs its CRD established first:
// https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/
const resources = (t: Template) => t.Resources as Record<string, CfnResource>;
const messages = (t: Template) =>
  apiServed.check(assemblyOf({ name: 't', template: t }), {}).map((f) => f.message);

describe('api-served', () => {
  it('fires on a removed built-in version and on a custom kind nothing installs', () => {
    expect(apiServed.check(fixture('api-served', 'broken'), {})).toEqual([
      {
        rule: 'api-served',
        stack: 'broken',
        logicalId: 'Manifest',
        message: expect.stringContaining(
          'PodDisruptionBudget default/api (policy/v1beta1) is not served by Kubernetes 1.36: policy/v1beta1 PodDisruptionBudget was removed in 1.25',
        ),
      },
      {
        rule: 'api-served',
        stack: 'broken',
        logicalId: 'Manifest',
        message: expect.stringContaining(
          `PrometheusRule default/api-alerts (monitoring.coreos.com/v1): nothing this resource depends on installs its CRD`,
        ),
      },
    ]);
  });

  it('is silent on served versions and a kind whose chart the manifest depends on', () => {
    expect(apiServed.check(fixture('api-served', 'fixed'), {})).toEqual([]);
  });

  it('fires when the providing chart exists but the manifest does not depend on it', () => {
    const t = fixtureTemplate('api-served', 'fixed');
    resources(t).Manifest = { ...resources(t).Manifest, DependsOn: [] };
    expect(messages(t)).toEqual([
      expect.stringContaining(
        'is provided by PrometheusCrds, but this resource does not depend on it',
      ),
    ]);
  });

  it('counts a chart only if known or declared, and never with SkipCrds', () => {
    const t = fixtureTemplate('api-served', 'fixed');
    const crds = resources(t).PrometheusCrds.Properties as Record<string, unknown>;
    crds.Chart = 'my-monitoring';
    expect(messages(t)).toHaveLength(1);
    expect(
      apiServed.check(assemblyOf({ name: 't', template: t }), {
        chartKinds: {
          'my-monitoring': [{ group: 'monitoring.coreos.com', kinds: ['PrometheusRule'] }],
        },
      }),
    ).toEqual([]);
    crds.Chart = 'prometheus-operator-crds';
    crds.SkipCrds = true;
    expect(messages(t)).toHaveLength(1);
  });

  it('counts a CustomResourceDefinition in a manifest this one depends on, at a served version', () => {
    const t = fixtureTemplate('api-served', 'fixed');
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'prometheusrules.monitoring.coreos.com' },
      spec: {
        group: 'monitoring.coreos.com',
        names: { kind: 'PrometheusRule' },
        versions: [{ name: 'v1', served: true }],
      },
    };
    resources(t).PrometheusCrds = {
      Type: 'Custom::AWSCDK-EKS-KubernetesResource',
      Properties: { ClusterName: { Ref: 'Cluster' }, Manifest: JSON.stringify([crd]) },
    };
    expect(messages(t)).toEqual([]);
    crd.spec.versions = [{ name: 'v1', served: false }];
    (resources(t).PrometheusCrds.Properties as Record<string, unknown>).Manifest = JSON.stringify([
      crd,
    ]);
    expect(messages(t)).toHaveLength(1);
  });

  it('knows when built-in APIs arrived and left', () => {
    expect(builtinStatus('autoscaling/v2', 'HorizontalPodAutoscaler', '1.22')).toEqual({
      status: 'not-yet',
      minor: 23,
    });
    expect(builtinStatus('networking.k8s.io/v1beta1', 'Ingress', '1.21')).toEqual({
      status: 'served',
    });
    expect(builtinStatus('networking.k8s.io/v1beta1', 'Ingress', '1.22')).toEqual({
      status: 'removed',
      minor: 22,
    });
    expect(builtinStatus('scheduling.k8s.io/v1', 'PriorityClass', '1.36')).toEqual({
      status: 'served',
    });
  });
});
