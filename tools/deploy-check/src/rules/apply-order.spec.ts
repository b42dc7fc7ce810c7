import { describe, expect, it } from '@jest/globals';
import { assemblyOf } from '../assembly.ts';
import { fixture, fixtureTemplate } from '../fixtures/index.ts';
import type { CfnResource, Template } from '../types.ts';
import { applyOrder } from './apply-order.ts';

// Initial namespaces: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces
// Auto Mode load balancing: https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html
const resources = (t: Template) => t.Resources as Record<string, CfnResource>;
const messages = (t: Template) =>
  applyOrder.check(assemblyOf({ name: 't', template: t }), {}).map((f) => f.message);

describe('apply-order', () => {
  it('fires on a namespace created by a resource it does not depend on, and on an Ingress without a controller', () => {
    expect(applyOrder.check(fixture('apply-order', 'broken'), {})).toEqual([
      {
        rule: 'apply-order',
        stack: 'broken',
        logicalId: 'App',
        message: expect.stringContaining(
          'Deployment app/api is in namespace app, which Namespace creates, but this resource does not depend on it',
        ),
      },
      {
        rule: 'apply-order',
        stack: 'broken',
        logicalId: 'App',
        message: expect.stringContaining(
          'Ingress app/api needs a load balancer controller, and the cluster has none',
        ),
      },
    ]);
  });

  it('is silent when the Namespace comes first in the manifest and the controller release is a dependency', () => {
    expect(applyOrder.check(fixture('apply-order', 'fixed'), {})).toEqual([]);
  });

  it('fires when the Namespace comes after its first object in the same manifest', () => {
    const t = fixtureTemplate('apply-order', 'fixed');
    const props = resources(t).App.Properties as Record<string, string>;
    const [ns, ...rest] = JSON.parse(props.Manifest) as unknown[];
    props.Manifest = JSON.stringify([...rest, ns]);
    expect(messages(t)).toEqual([
      expect.stringContaining(
        'Deployment app/api comes before the Namespace app in the same manifest',
      ),
    ]);
  });

  it('fires when the controller exists but the Ingress does not depend on it', () => {
    const t = fixtureTemplate('apply-order', 'fixed');
    resources(t).App = { ...resources(t).App, DependsOn: [] };
    expect(messages(t)).toEqual([
      expect.stringContaining(
        'needs the load balancer controller AlbController, but this resource does not depend on it',
      ),
    ]);
  });

  it('accepts EKS Auto Mode load balancing instead of a controller', () => {
    const t = fixtureTemplate('apply-order', 'fixed');
    delete resources(t).AlbController;
    resources(t).App = { ...resources(t).App, DependsOn: [] };
    expect(messages(t)).toHaveLength(1);
    resources(t).Cluster = {
      Type: 'AWS::EKS::Cluster',
      Properties: {
        Name: 'demo',
        Version: '1.36',
        ComputeConfig: { Enabled: true, NodePools: ['system', 'general-purpose'] },
        KubernetesNetworkConfig: { ElasticLoadBalancing: { Enabled: true } },
      },
    };
    expect(messages(t)).toEqual([]);
  });

  it('needs a namespace for a Helm release only when it does not create it', () => {
    const t = fixtureTemplate('apply-order', 'fixed');
    const alb = resources(t).AlbController.Properties as Record<string, unknown>;
    alb.Namespace = 'lb';
    expect(messages(t)).toEqual([expect.stringContaining('the Helm release is in namespace lb')]);
    alb.CreateNamespace = true;
    expect(messages(t)).toEqual([]);
  });
});
