import { describe, expect, it } from '@jest/globals';
import { Duration } from 'cdk8s';
import { checkPolicies, validateSchemas } from '@stayup/k8s-policy';
import { HighlyAvailableService } from './highly-available-service.js';
import {
  HighlyAvailableWorker,
  type HighlyAvailableWorkerProps,
} from './highly-available-worker.js';
import { NO_PROBES_ANNOTATION } from './probes.js';
import { only, synth } from './private/testing.js';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mailer:2.0.1';
const worker = (props: Partial<HighlyAvailableWorkerProps> = {}) =>
  synth(
    (chart) =>
      new HighlyAvailableWorker(chart, 'mailer', {
        name: 'mailer',
        image: IMAGE,
        probes: { exec: ['node', 'dist/healthcheck.js'] },
        networkPolicy: { egress: [{ cidr: '10.0.48.0/20', port: 5672 }] },
        ...props,
      }),
  );

// Issue 13: a queue worker could not be modelled (no Service, no HTTP probes, no PORT).
describe('HighlyAvailableWorker', () => {
  const objects = worker();
  const pod = only(objects, 'Deployment').spec.template.spec;
  const container = pod.containers[0];

  it('emits the HA set without Service, Ingress, ports or HTTP probes', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PriorityClass',
    ]);
    expect(container.ports).toEqual([]);
    expect(container.env.map((e: { name: string }) => e.name)).toEqual([
      'SHUTDOWN_DELAY_MS',
      'SHUTDOWN_TIMEOUT_MS',
    ]);
    expect(container.readinessProbe).toBeUndefined();
    const exec = { command: ['node', 'dist/healthcheck.js'] };
    expect(container.startupProbe).toMatchObject({ exec, periodSeconds: 2, failureThreshold: 30 });
    expect(container.livenessProbe).toMatchObject({ exec, periodSeconds: 10, failureThreshold: 3 });
  });

  it('keeps the pod hardening, the spread and a drain sized for jobs', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(pod.priorityClassName).toBe('highly-available');
    expect(container.env).toEqual([
      { name: 'SHUTDOWN_DELAY_MS', value: '0' },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: '25000' },
    ]);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  it('admits no ingress and only DNS and the named egress', () => {
    const policy = only(objects, 'NetworkPolicy').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([]);
    expect(policy.egress.map((r: { ports: { port: number }[] }) => r.ports[0].port)).toEqual([
      53, 5672,
    ]);
  });

  it('validates against the Kubernetes schemas and has zero policy findings', async () => {
    expect(await validateSchemas(objects)).toEqual([]);
    expect(checkPolicies(objects)).toEqual([]);
    // Polaris is told, on the Deployment, that a worker has no readiness probe by design
    expect(only(objects, 'Deployment').metadata.annotations).toEqual({
      'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true',
    });
    const none = worker({ probes: { none: 'batch consumer; the queue-age alert pages' } });
    expect(checkPolicies(none)).toEqual([]);
  });

  it('serves metrics, when given a port, to the monitoring namespace only', () => {
    const withMetrics = worker({ metricsPort: 9464 });
    const c = only(withMetrics, 'Deployment').spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
    expect(c.env[0]).toEqual({ name: 'METRICS_PORT', value: '9464' });
    const ingress = only(withMetrics, 'NetworkPolicy').spec.ingress;
    expect(ingress).toHaveLength(1);
    expect(ingress[0].ports[0].port).toBe(9464);
    expect(ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'monitoring',
    });
  });

  it('goes without probes only with a reason, written on the pods', () => {
    const none = worker({ probes: { none: 'batch consumer; the queue-age alert pages' } });
    const template = only(none, 'Deployment').spec.template;
    expect(template.metadata.annotations).toEqual({
      [NO_PROBES_ANNOTATION]: 'batch consumer; the queue-age alert pages',
    });
    expect(template.spec.containers[0].livenessProbe).toBeUndefined();
    expect(() => worker({ probes: { none: ' ' } })).toThrow(
      `'probes.none' ('') must say why the workload has no probes`,
    );
    expect(() => worker({ probes: { exec: [] } })).toThrow(
      `'probes.exec' ([]) must be a non-empty command of non-empty arguments: e.g. ['node', 'dist/healthcheck.js']`,
    );
    expect(() => worker({ probes: { readiness: '/ready' } as never })).toThrow(
      `'probes' ({"readiness":"/ready"}) must be { exec: [...] } or { none: '<reason>' } when 'port' is false`,
    );
  });

  it('takes the drain from the longest job and shares the PriorityClass with services', () => {
    const objects2 = synth((chart) => {
      new HighlyAvailableService(chart, 'api', { name: 'api', image: IMAGE });
      new HighlyAvailableWorker(chart, 'mailer', {
        name: 'mailer',
        image: IMAGE,
        probes: { exec: ['true'] },
        drain: { timeout: Duration.minutes(2) },
      });
    });
    expect(objects2.filter((o) => o.kind === 'PriorityClass')).toHaveLength(1);
    const mailer = objects2.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mailer');
    expect(mailer.spec.template.spec.terminationGracePeriodSeconds).toBe(125);
  });

  it('refuses ingress sources for a workload nothing may connect to', () => {
    expect(() =>
      worker({ networkPolicy: { loadBalancerCidrs: ['10.0.0.0/16'] } as never }),
    ).toThrow(
      `'networkPolicy.loadBalancerCidrs' must be unset for 'mailer', which has no HTTP port (port: false): nothing may connect to it; remove the prop`,
    );
  });
});
