import { describe, expect, it } from '@jest/globals';
import { Duration } from 'cdk8s';
import { DrainTiming } from './drain-timing.js';
import { EnvValue } from './env-value.js';
import { HaDeployment, type HaDeploymentProps } from './ha-deployment.js';
import {
  DEFAULT_IMAGE_PULL_POLICY,
  DEFAULT_PINNED_IMAGE_PULL_POLICY,
} from './ha-deployment-defaults.js';
import { only, synth } from './private/testing.js';
import { ResourcePreset } from './resource-preset.js';

const IMAGE = 'registry.example.com/team/api:2.0.1';

function deploy(props: Partial<HaDeploymentProps> = {}) {
  let construct: HaDeployment | undefined;
  const objects = synth((chart) => {
    construct = new HaDeployment(chart, 'd', { name: 'api', image: IMAGE, ...props });
  });
  const d = only(objects, 'Deployment');
  return {
    construct: construct as HaDeployment,
    d,
    pod: d.spec.template.spec,
    c: d.spec.template.spec.containers[0],
  };
}

describe('HaDeployment defaults', () => {
  const { construct, d, pod, c } = deploy();

  it('rolls out without losing capacity: maxUnavailable 0, maxSurge 25%', () => {
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
    });
    expect(d.spec.minReadySeconds).toBe(5);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.revisionHistoryLimit).toBe(5);
  });

  it('runs 2 replicas when no autoscaler drives it', () => {
    expect(d.spec.replicas).toBe(2);
  });

  it('spreads over zones (soft) and prefers one pod per node', () => {
    expect(pod.topologySpreadConstraints).toEqual([
      {
        topologyKey: 'topology.kubernetes.io/zone',
        maxSkew: 1,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: construct.selector },
        matchLabelKeys: ['pod-template-hash'],
        nodeTaintsPolicy: 'Honor',
      },
    ]);
    expect(pod.affinity.podAntiAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: 'kubernetes.io/hostname',
            labelSelector: { matchLabels: construct.selector },
          },
        },
      ],
    });
  });

  it('runs restricted: non-root 10001, read-only root, no escalation, no capabilities, seccomp', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('mounts no service-account token and injects no service links', () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('sets the SMALL requests and limits for cpu, memory and ephemeral storage', () => {
    expect(c.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  it('has three different probes on the named http port', () => {
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: 'http' },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 2,
      successThreshold: 1,
    });
    expect(c.startupProbe).toEqual(probe('/alive', 2, 30));
    expect(c.readinessProbe).toEqual(probe('/ready', 5, 2));
    expect(c.livenessProbe).toEqual(probe('/alive', 10, 3));
  });

  it("probes the metrics port with probes.port: 'metrics', out of the way of traffic", () => {
    // Under overload a kubelet probe on the traffic port waits seconds like any new connection
    // (the kubelet's prober opens one per probe: `DisableKeepAlives: true` in
    // kubernetes/kubernetes pkg/probe/http/http.go; in the fault suite's direct overload 8 of 12
    // probes failed there, 0 of 12 on the metrics port). Probe traffic comes from the pod's own
    // node, which a NetworkPolicy cannot block ("Pods cannot currently block localhost access, nor
    // do they have the ability to block access from their resident node":
    // https://kubernetes.io/docs/concepts/services-networking/network-policies/#what-you-can-t-do-with-network-policies-at-least-not-yet),
    // and the VPC CNI's policy agent allows all traffic from the node IP (aws/aws-network-policy-agent#65),
    // so the metrics port needs no new ingress rule.
    const { c: metrics } = deploy({ probes: { port: 'metrics' } });
    for (const probe of [metrics.startupProbe, metrics.readinessProbe, metrics.livenessProbe]) {
      expect(probe.httpGet.port).toBe('metrics');
    }
    expect(metrics.ports.map((p: { name: string }) => p.name)).toEqual(['http', 'metrics']);
  });

  it('declares ports 8080 (http) and 9464 (metrics) and tells the app about them and the drain', () => {
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    expect(c.env).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'METRICS_PORT', value: '9464' },
      { name: 'SHUTDOWN_DELAY_MS', value: '5000' },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: '10000' },
    ]);
  });

  it('derives terminationGracePeriodSeconds from the drain: 5 s + 10 s + 5 s', () => {
    expect(pod.terminationGracePeriodSeconds).toBe(20);
  });

  it('pulls Always (DEFAULT_IMAGE_PULL_POLICY) an image pinned by a tag the registry may move, and labels with the recommended labels', () => {
    expect(c.image).toBe(IMAGE);
    expect(c.imagePullPolicy).toBe(DEFAULT_IMAGE_PULL_POLICY);
    expect(DEFAULT_IMAGE_PULL_POLICY).toBe('Always');
    expect(construct.imagePullPolicy).toBe('Always');
    expect(d.metadata.annotations?.['kube-score/ignore']).toBeUndefined();
    // nothing app-specific: no component label unless one is given
    expect(d.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/version': '2.0.1',
      'app.kubernetes.io/managed-by': 'cdk8s',
      'app.kubernetes.io/part-of': 'api',
    });
    expect(d.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
    });
  });
});

describe('HaDeployment overrides', () => {
  // The kubelet pulls with IfNotPresent only when the image is not on the node, and never with
  // Never (https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy); a digest
  // names one image, and so does a tag in a registry that refuses to move tags (ECR
  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html).
  it.each([
    [{ image: `registry.example.com/team/api@sha256:${'a'.repeat(64)}` }, 'IfNotPresent'],
    [{ immutableTags: true }, 'IfNotPresent'],
    [{ imagePullPolicy: 'Never' as const }, 'Never'],
    [{ immutableTags: true, imagePullPolicy: 'Always' as const }, 'Always'],
  ])(
    'pulls %j with %s, and marks anything but Always as a kube-score exception',
    (props, policy) => {
      const { c, d, construct } = deploy(props);
      expect(c.imagePullPolicy).toBe(policy);
      expect(construct.imagePullPolicy).toBe(policy);
      // zegl/kube-score scorecard/enabled.go: `kube-score/ignore` on the object skips the check
      expect(d.metadata.annotations?.['kube-score/ignore']).toBe(
        policy === 'Always' ? undefined : 'container-image-pull-policy',
      );
    },
  );

  it('documents the pinned default: IfNotPresent', () => {
    expect(DEFAULT_PINNED_IMAGE_PULL_POLICY).toBe('IfNotPresent');
  });

  it('refuses an unknown pull policy, naming the prop', () => {
    expect(() => deploy({ imagePullPolicy: 'Sometimes' as never })).toThrow(
      `'imagePullPolicy' (Sometimes) must be 'Always', 'IfNotPresent' or 'Never': IfNotPresent for a digest or an immutable tag, Never for an image loaded into the nodes (kind load)`,
    );
  });

  it('labels the component and the application it is part of when given', () => {
    const { d } = deploy({ component: 'worker', partOf: 'shop' });
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'worker',
      'app.kubernetes.io/part-of': 'shop',
    });
    expect(d.spec.template.metadata.labels).toEqual(d.metadata.labels);
    expect(() => deploy({ component: 'API worker' })).toThrow(
      `'component' (API worker) must be a label value (at most 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit): e.g. 'api-worker'`,
    );
  });

  it('omits replicas when autoscaled', () => {
    expect(deploy({ autoscaled: true }).d.spec.replicas).toBeUndefined();
  });

  it('takes ports, probe paths, resources, drain, spread, surge and env', () => {
    const { d, pod, c } = deploy({
      port: 3000,
      metricsPort: false,
      probes: { readiness: '/health/ready', liveness: '/health/live', startup: '/health/started' },
      resources: ResourcePreset.LARGE,
      drain: { delay: Duration.seconds(15), timeout: Duration.seconds(20) },
      spread: { zones: 2, whenUnsatisfiable: 'DoNotSchedule', minDomains: 2 },
      maxSurge: 2,
      replicas: 4,
      env: {
        LOG_LEVEL: EnvValue.fromValue('debug'),
        API_TOKEN: EnvValue.fromConfigMap('cfg', 'token'),
      },
      version: '2.0.1-rc.1',
    });
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.strategy.rollingUpdate.maxSurge).toBe(2);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.startupProbe.httpGet.path).toBe('/health/started');
    expect(c.resources.limits).toEqual({ cpu: '2', memory: '1Gi', 'ephemeral-storage': '1Gi' });
    expect(pod.terminationGracePeriodSeconds).toBe(40);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({
      whenUnsatisfiable: 'DoNotSchedule',
      minDomains: 2,
    });
    expect(c.env).toEqual([
      { name: 'PORT', value: '3000' },
      { name: 'SHUTDOWN_DELAY_MS', value: '15000' },
      { name: 'SHUTDOWN_TIMEOUT_MS', value: '20000' },
      { name: 'API_TOKEN', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'token' } } },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    expect(d.metadata.labels['app.kubernetes.io/version']).toBe('2.0.1-rc.1');
  });

  it('accepts a shared DrainTiming and a digest-pinned image', () => {
    const digest = `registry.example.com/api@sha256:${'a'.repeat(64)}`;
    const { pod, d } = deploy({
      image: digest,
      drain: new DrainTiming({ delay: Duration.seconds(0) }),
    });
    expect(pod.terminationGracePeriodSeconds).toBe(15);
    expect(d.metadata.labels['app.kubernetes.io/version']).toBe('aaaaaaaaaaaa');
  });
});

describe('HaDeployment refusals', () => {
  it.each([
    [
      { image: 'nginx' },
      `'image' (nginx) must be pinned by a tag or a digest: use 'nginx:<version>' or 'nginx@sha256:<digest>'`,
    ],
    [
      { image: 'nginx:latest' },
      `'image' (nginx:latest) must not use the 'latest' tag: pin a version ('nginx:1.2.3') or a digest, so every pod runs the same code`,
    ],
    [{ port: 0 }, `'port' (0) must be an integer from 1 to 65535: e.g. 8080`],
    [{ port: 70000 }, `'port' (70000) must be an integer from 1 to 65535: e.g. 8080`],
    [
      { metricsPort: 8080 },
      `'metricsPort' (8080) must differ from 'port' (8080): serve metrics on their own port (default 9464) so the load balancer never exposes them`,
    ],
    [
      { port: 9464 },
      `'port' (9464) must differ from the metrics port (9464, the default of 'metricsPort'): choose another port, or set metricsPort (false for none)`,
    ],
    [
      { probes: { readiness: 'ready' } },
      `'probes.readiness' (ready) must start with '/': write '/ready'`,
    ],
    [
      { probes: { liveness: '/ready' } },
      `'probes.liveness' (/ready) must differ from 'probes.readiness' (/ready): readiness goes down while draining and liveness must not, or the kubelet kills draining pods`,
    ],
    [
      { metricsPort: false, probes: { port: 'metrics' } },
      `'probes.port' (metrics) needs a metrics port, and 'metricsPort' is false: probe 'http', or give the container a metrics port that answers the probes`,
    ],
    [
      { probes: { port: 'admin' as 'http' } },
      `'probes.port' (admin) must be 'http' or 'metrics': the name of the container port the kubelet probes`,
    ],
    [
      { maxSurge: 0 },
      `'maxSurge' (0) must be at least 1 pod: maxUnavailable is 0 so that a rollout never loses capacity, and a rollout needs room for one new pod`,
    ],
    [
      { replicas: 3, autoscaled: true },
      `'replicas' (3) must be unset when 'autoscaled' is true: the HorizontalPodAutoscaler owns the count, and a fixed one resets it at every apply`,
    ],
    [
      { env: { PORT: EnvValue.fromValue('1') } },
      `'env.PORT' must not be set: the construct derives it (from port, metricsPort or drain) so that the app, the probes and the grace period agree; set that prop instead`,
    ],
    [
      { env: { 'my-var': EnvValue.fromValue('1') } },
      `'env.my-var' must be a C identifier (letters, digits, '_'): rename it, e.g. 'MY_VAR'`,
    ],
    [
      { env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } },
      `'env.DB_PASSWORD' looks like a secret and must not be a literal written into the manifest: use EnvValue.fromSecret('<secret-name>', '<key>')`,
    ],
    [
      { spread: { zones: 3, whenUnsatisfiable: 'DoNotSchedule', minDomains: 4 } },
      `'spread.minDomains' (4) must be at most 'spread.zones' (3): more zones required than declared leaves pods Pending; lower minDomains or declare more zones`,
    ],
    [
      { spread: { minDomains: 2 } },
      `'spread.minDomains' (2) must be used with whenUnsatisfiable 'DoNotSchedule': Kubernetes ignores it otherwise; set spread.whenUnsatisfiable`,
    ],
    [
      {
        drain: {
          delay: Duration.seconds(10),
          timeout: Duration.seconds(10),
          gracePeriod: Duration.seconds(15),
        },
      },
      `'drain.gracePeriod' (15 seconds) must be at least 'drain.delay' + 'drain.timeout' + 2 s (22 s), or the kubelet kills the pod mid-drain: raise it to 22 s or more, shorten the drain, or leave it unset to derive it`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => deploy(props as Partial<HaDeploymentProps>)).toThrow(message);
  });
});
