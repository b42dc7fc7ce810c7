import { Testing } from 'cdk8s';
import { HighlyAvailableService } from '@stayup/k8s-ha';
import { MyChart } from './main';

interface ApiObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
}

describe('MyChart with @stayup/k8s-ha', () => {
  const synth = (): ApiObject[] => Testing.synth(new MyChart(Testing.app(), 'test-chart'));

  test('synthesizes the highly available web service', () => {
    expect(
      synth()
        .map((o) => o.kind)
        .sort(),
    ).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PriorityClass',
      'Service',
    ]);
  });

  test('spreads the pods and runs them restricted', () => {
    const deployment = synth().find((o) => o.kind === 'Deployment')!;
    const pod = deployment.spec.template.spec;
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toContain(
      'topology.kubernetes.io/zone',
    );
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('refuses an unsafe prop at synth, naming it', () => {
    const chart = Testing.chart();
    expect(
      () =>
        new HighlyAvailableService(chart, 'open', {
          name: 'open',
          image: 'registry.example.com/web:1.4.2',
          networkPolicy: { loadBalancerCidrs: [] },
        }),
    ).toThrow(/loadBalancerCidrs/);
  });
});
