import { describe, expect, it } from '@jest/globals';
import { Chart, Testing } from 'cdk8s';
import { checkPolicies, validateSchemas } from '@stayup/k8s-policy';
import { EnvValue } from './env-value.js';
import { HighlyAvailableService } from './highly-available-service.js';
import { only, synth } from './private/testing.js';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2';

describe('HighlyAvailableService', () => {
  const objects = synth(
    (chart) =>
      new HighlyAvailableService(chart, 'api', {
        name: 'api',
        image: IMAGE,
        ingress: { hosts: ['api.example.com'] },
        alerts: true,
        env: {
          DB_PASSWORD: EnvValue.fromSecret('api-db', 'password'),
          FEATURE: EnvValue.fromValue('on'),
        },
      }),
  );

  it('emits one of each kind, the namespace and priority class before the pods', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'PriorityClass',
      'PrometheusRule',
      'Service',
    ]);
    const index = (kind: string) => objects.findIndex((o) => o.kind === kind);
    expect(index('Namespace')).toBeLessThan(index('Deployment'));
    expect(index('PriorityClass')).toBeLessThan(index('Deployment'));
    for (const o of objects.filter((x) => !['Namespace', 'PriorityClass'].includes(x.kind))) {
      expect(o.metadata.namespace).toBe('api');
    }
  });

  it('validates against the official Kubernetes schemas', async () => {
    expect(await validateSchemas(objects)).toEqual([]);
  });

  it('has zero Polaris, kube-score and kube-linter findings', () => {
    expect(checkPolicies(objects)).toEqual([]);
  });

  it('wires the pieces to each other', () => {
    const deployment = only(objects, 'Deployment');
    const pod = deployment.spec.template;
    const service = only(objects, 'Service');
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    const pdb = only(objects, 'PodDisruptionBudget');
    const ingress = only(objects, 'Ingress');
    const policy = only(objects, 'NetworkPolicy');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(pod.metadata.labels).toMatchObject(service.spec.selector);
    expect(pod.spec.containers[0].ports.map((p: { name: string }) => p.name)).toContain(
      service.spec.ports[0].targetPort,
    );
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
    });
    expect(pdb.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(policy.spec.podSelector.matchLabels).toEqual(service.spec.selector);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'api',
      port: { name: 'http' },
    });
    expect(pod.spec.priorityClassName).toBe(only(objects, 'PriorityClass').metadata.name);
  });

  it('omits replicas because the HPA drives the Deployment', () => {
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
  });

  it('passes env from Secrets by reference, never by value', () => {
    const env = only(objects, 'Deployment').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: 'DB_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'api-db', key: 'password' } },
    });
    expect(env).toContainEqual({ name: 'FEATURE', value: 'on' });
  });

  it('makes the drain, the grace period and the ALB agree', () => {
    const deployment = only(objects, 'Deployment');
    const env = Object.fromEntries(
      deployment.spec.template.spec.containers[0].env.map((e: { name: string; value?: string }) => [
        e.name,
        e.value,
      ]),
    );
    const delay = Number(env.SHUTDOWN_DELAY_MS);
    const timeout = Number(env.SHUTDOWN_TIMEOUT_MS);
    // behind an ALB the drain delay defaults to DEFAULT_ALB_DRAIN_DELAY (15 s), not the app's 5 s
    expect(delay).toBe(15_000);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      delay + timeout,
    );
    const annotations = only(objects, 'Ingress').metadata.annotations;
    const attributes: string = annotations['alb.ingress.kubernetes.io/target-group-attributes'];
    const deregistration = Number(
      /deregistration_delay.timeout_seconds=(\d+)/.exec(attributes)?.[1],
    );
    expect(deregistration * 1000).toBeGreaterThanOrEqual(delay);
    expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes']).toContain(
      'idle_timeout.timeout_seconds=60',
    );
  });

  it('can run with a fixed count, no priority class, no policy, an existing namespace', () => {
    const fixed = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'web',
          image: IMAGE,
          namespace: 'shared',
          createNamespace: false,
          scaling: false,
          replicas: 3,
          priorityClass: 'system-cluster-critical',
          networkPolicy: false,
        }),
    );
    expect(fixed.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
    const deployment = only(fixed, 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.metadata.namespace).toBe('shared');
    expect(deployment.spec.template.spec.priorityClassName).toBe('system-cluster-critical');
  });

  it.each([
    [
      { scaling: false, replicas: 1 },
      `'replicas' (1) must be at least 2: one replica means an outage at every node drain or crash; use 2 or more`,
    ],
    [
      { replicas: 3 },
      `'replicas' (3) must be unset while 'scaling' is on: the autoscaler owns the count; set scaling.minReplicas, or scaling: false for a fixed count`,
    ],
    [
      { scaling: { minReplicas: 1 } },
      `'scaling.minReplicas' (1) must be at least 2: one replica means an outage at every node drain or crash; use 2, or set scaling.allowSingleReplica for development`,
    ],
    [
      { scaling: { minReplicas: 4, maxReplicas: 4 } },
      `'scaling.maxReplicas' (4) must be greater than 'scaling.minReplicas' (4): the autoscaler needs room; raise maxReplicas, or fix the count without an autoscaler (scaling: false)`,
    ],
    [
      { maxUnavailable: 0 },
      `'maxUnavailable' (0) must be at least 1: a budget of 0 blocks every voluntary disruption, so node drains and cluster upgrades hang`,
    ],
    [
      { maxUnavailable: 2 },
      `'maxUnavailable' (2) must be less than the minimum replicas (2): a drain could then take every pod down at once; use 1`,
    ],
    [
      { name: 'My_API' },
      `'name' (My_API) must be a DNS-1123 label of at most 63 characters (lower-case letters, digits and '-', starting and ending with a letter or digit): e.g. 'my-api'`,
    ],
  ])('refuses %j', (override, message) => {
    expect(() =>
      synth(
        (chart) =>
          new HighlyAvailableService(chart, 'api', {
            name: 'api',
            image: IMAGE,
            ...override,
          } as never),
      ),
    ).toThrow(message);
  });

  it('refuses two services that would both create their namespace, or the same PriorityClass', () => {
    // Issue 13: two services in one namespace emitted two Namespace objects (and one
    // PriorityClass each at the same value), whichever applied last winning silently.
    const two = (second: Record<string, unknown>) => () =>
      synth((chart) => {
        new HighlyAvailableService(chart, 'orders', {
          name: 'orders',
          namespace: 'shop',
          image: IMAGE,
        });
        new HighlyAvailableService(chart, 'cart', {
          name: 'cart',
          namespace: 'shop',
          image: IMAGE,
          ...second,
        });
      });
    expect(two({})).toThrow(
      `Namespace 'shop' is already created by test/orders/Namespace, and again by test/cart/Namespace: set createNamespace: false on every service in that namespace but one (or create it once with HaNamespace)`,
    );
    expect(two({ createNamespace: false, priorityClass: { name: 'highly-available' } })).toThrow(
      `PriorityClass 'highly-available' is already created by test/orders/PriorityClass, and again by test/cart/PriorityClass: create it once and pass its name to the other services (priorityClass: 'highly-available')`,
    );
    expect(two({ createNamespace: false })).not.toThrow();
  });

  it('shares one PriorityClass across the services of an app, across charts, created before their pods', () => {
    // Issue 13: every service made its own '<name>-high' class at the same value, which defeats
    // priorities. Now the first workload creates the shared class and the others name it.
    const app = Testing.app();
    const first = new Chart(app, 'first');
    const second = new Chart(app, 'second');
    new HighlyAvailableService(first, 'orders', { name: 'orders', image: IMAGE });
    new HighlyAvailableService(second, 'cart', { name: 'cart', image: IMAGE });
    new HighlyAvailableService(second, 'search', {
      name: 'search',
      namespace: 'cart',
      createNamespace: false,
      image: IMAGE,
    });
    const objects = [...Testing.synth(first), ...Testing.synth(second)];
    expect(objects.filter((o) => o.kind === 'PriorityClass').map((o) => o.metadata.name)).toEqual([
      'highly-available',
    ]);
    const classes = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.spec.template.spec.priorityClassName);
    expect(classes).toEqual(['highly-available', 'highly-available', 'highly-available']);
    // cdk8s orders charts by their constructs' dependencies: 'second' comes after 'first'
    expect(app.charts.indexOf(second)).toBeGreaterThan(app.charts.indexOf(first));
    expect(second.node.dependencies).toContain(first);
  });

  it('creates no cluster-scoped object for a team without cluster-admin', () => {
    const objects = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'api',
          image: IMAGE,
          createNamespace: false,
          priorityClass: 'platform-high',
        }),
    );
    expect(objects.filter((o) => ['Namespace', 'PriorityClass'].includes(o.kind))).toEqual([]);
    expect(only(objects, 'Deployment').spec.template.spec.priorityClassName).toBe('platform-high');
  });

  it('puts extra labels on every object and its pods, and refuses the ones it owns', () => {
    const objects = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'api',
          image: IMAGE,
          labels: { 'example.com/team': 'payments', tier: 'backend' },
        }),
    );
    for (const o of objects.filter((x) => !['Namespace', 'PriorityClass'].includes(x.kind))) {
      expect([o.kind, o.metadata.labels]).toEqual([
        o.kind,
        expect.objectContaining({ 'example.com/team': 'payments', tier: 'backend' }),
      ]);
    }
    expect(only(objects, 'Deployment').spec.template.metadata.labels.tier).toBe('backend');
    const withLabels = (labels: Record<string, string>) => () =>
      synth(
        (chart) => new HighlyAvailableService(chart, 'api', { name: 'api', image: IMAGE, labels }),
      );
    expect(withLabels({ 'app.kubernetes.io/component': 'web' })).toThrow(
      `'labels.app.kubernetes.io/component' must not be set: the construct writes it; set it through 'component'`,
    );
    expect(withLabels({ 'app.kubernetes.io/name': 'web' })).toThrow(
      `'labels.app.kubernetes.io/name' must not be set: the construct writes it; set it through 'name' (it is the pod selector, which cannot change)`,
    );
    expect(withLabels({ 'Team Name': 'x' })).toThrow(
      `'labels' key (Team Name) must be [prefix/]name`,
    );
    expect(withLabels({ team: 'pay ments' })).toThrow(
      `'labels.team' (pay ments) must be a label value`,
    );
  });

  it('refuses port: false, pointing at HighlyAvailableWorker', () => {
    const props = { name: 'api', image: IMAGE, port: false as unknown as number };
    expect(() => synth((chart) => new HighlyAvailableService(chart, 'api', props))).toThrow(
      `'port' (false) must be a port number for a HighlyAvailableService, which serves HTTP: model a workload without HTTP with HighlyAvailableWorker`,
    );
  });

  it('allows a single replica in development when asked explicitly', () => {
    const dev = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'api',
          image: IMAGE,
          scaling: { minReplicas: 1, maxReplicas: 3, allowSingleReplica: true },
        }),
    );
    expect(only(dev, 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
    expect(only(dev, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  it('refuses at synth a zone minimum the replicas cannot fill', () => {
    const chart = Testing.chart();
    new HighlyAvailableService(chart, 'api', {
      name: 'api',
      image: IMAGE,
      spread: { zones: 3, whenUnsatisfiable: 'DoNotSchedule', minDomains: 3 },
    });
    expect(() => Testing.synth(chart)).toThrow(
      `'scaling.minReplicas' (2) must be at least 'spread.minDomains' (3): with DoNotSchedule the extra zones would stay empty and the skew rule would block scheduling; raise minReplicas or lower minDomains`,
    );
  });

  it('derives minReadySeconds from the health check behind EKS Auto Mode load balancing', () => {
    const objects = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'api',
          image: IMAGE,
          ingress: {
            hosts: ['api.example.com'],
            controller: 'eks-auto-mode',
            healthCheck: { intervalSeconds: 10, healthyThreshold: 3 },
          },
        }),
    );
    expect(only(objects, 'Deployment').spec.minReadySeconds).toBe(40);
    // the AWS Load Balancer Controller's readiness gates need no such wait
    const gated = synth(
      (chart) =>
        new HighlyAvailableService(chart, 'api', {
          name: 'api',
          image: IMAGE,
          ingress: { hosts: ['api.example.com'] },
        }),
    );
    expect(only(gated, 'Deployment').spec.minReadySeconds).toBe(5);
  });
});
