/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import {
  containersOf,
  podLabels,
  podSpec,
  ref,
  selects,
  type Finding,
  type K8sObject,
} from './manifest.js';

/**
 * The default-on rules of Polaris, kube-score and kube-linter that concern Namespaces,
 * Deployments, Services, Ingresses, HPAs, PDBs, PriorityClasses and NetworkPolicies, re-implemented
 * here because the tools are Go binaries: not on npm, not in Debian, and release downloads are not
 * reachable from these machines. Each rule keeps its upstream name so a finding can be looked up.
 *
 * @see https://polaris.docs.fairwinds.com/checks/security/
 * @see https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
 * @see https://docs.kubelinter.io/#/generated/checks
 */
export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  check(objects: readonly K8sObject[]): Finding[];
}

type ContainerCheck = (c: any, pod: any, o: K8sObject) => string | undefined;
type Check<S> = (subject: S, o: K8sObject, all: readonly K8sObject[]) => string | undefined;

/** A rule: for each object, the subjects it holds (with the name a finding reports), checked. */
function rule<S>(
  id: string,
  description: string,
  subjectsOf: (o: K8sObject) => Array<[S, string]>,
  check: Check<S>,
): PolicyRule {
  return {
    id,
    description,
    check: (objects) =>
      objects.flatMap((o) =>
        subjectsOf(o).flatMap(([subject, object]) => {
          const message = check(subject, o, objects);
          return message ? [{ rule: id, object, message }] : [];
        }),
      ),
  };
}

/** A rule applied to each (non-init, unless `initToo`) container of each workload. */
function containerRule(
  id: string,
  description: string,
  check: ContainerCheck,
  initToo = false,
): PolicyRule {
  return rule<{ c: any; pod: any }>(
    id,
    description,
    (o) => {
      const pod = podSpec(o);
      if (!pod) return [];
      return containersOf(pod)
        .filter(({ init }) => initToo || !init)
        .map(({ c }) => [{ c, pod }, ref(o, c.name)]);
    },
    ({ c, pod }, o) => check(c, pod, o),
  );
}

/** A rule applied to each workload's pod spec. */
function podRule(id: string, description: string, check: Check<any>): PolicyRule {
  return rule(
    id,
    description,
    (o) => {
      const pod = podSpec(o);
      return pod ? [[pod, ref(o)]] : [];
    },
    check,
  );
}

/** A rule applied to each object of `kind`. */
function kindRule(
  id: string,
  description: string,
  kind: string,
  check: (o: K8sObject, all: readonly K8sObject[]) => string | undefined,
): PolicyRule {
  return rule(
    id,
    description,
    (o) => (o.kind === kind ? [[o, ref(o)]] : []),
    (_, o, all) => check(o, all),
  );
}

const sameNamespace = (a: K8sObject, b: K8sObject) =>
  (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
const workloads = (all: readonly K8sObject[]) => all.filter((o) => podSpec(o) !== undefined);
const effective = (c: any, pod: any, field: string) =>
  c.securityContext?.[field] ?? pod.securityContext?.[field];
const hasResource = (c: any, kind: 'requests' | 'limits', name: string) =>
  c.resources?.[kind]?.[name] !== undefined;
const hpaFor = (o: K8sObject, all: readonly K8sObject[]) =>
  all.find(
    (h) =>
      h.kind === 'HorizontalPodAutoscaler' &&
      sameNamespace(h, o) &&
      h.spec?.scaleTargetRef?.kind === o.kind &&
      h.spec?.scaleTargetRef?.name === o.metadata.name,
  );
const pdbsFor = (o: K8sObject, all: readonly K8sObject[]) =>
  all.filter(
    (p) =>
      p.kind === 'PodDisruptionBudget' &&
      sameNamespace(p, o) &&
      selects(p.spec?.selector, podLabels(o)),
  );
const imageTag = (image: string) => {
  const name = image.split('@')[0];
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  return image.includes('@') ? 'digest' : colon > slash ? name.slice(colon + 1) : undefined;
};
const probeTargetsDeclaredPort = (probe: any, c: any) => {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (port === undefined) return true;
  return (c.ports ?? []).some((p: any) => p.name === port || p.containerPort === port);
};
const SENSITIVE = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)/i;

/** Every rule, in a stable order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  // ---- Polaris (security, efficiency, reliability) ----
  podRule('polaris/hostIPCSet', 'hostIPC must not be set', (p) =>
    p.hostIPC ? 'hostIPC is true' : undefined,
  ),
  podRule('polaris/hostPIDSet', 'hostPID must not be set', (p) =>
    p.hostPID ? 'hostPID is true' : undefined,
  ),
  podRule('polaris/hostNetworkSet', 'hostNetwork must not be set', (p) =>
    p.hostNetwork ? 'hostNetwork is true' : undefined,
  ),
  containerRule('polaris/hostPortSet', 'containers must not use host ports', (c) =>
    (c.ports ?? []).some((p: any) => p.hostPort) ? 'a port sets hostPort' : undefined,
  ),
  containerRule(
    'polaris/runAsRootAllowed',
    'containers must run as non-root',
    (c, p) =>
      effective(c, p, 'runAsNonRoot') === true || (effective(c, p, 'runAsUser') ?? 0) > 0
        ? undefined
        : 'runAsNonRoot is not true',
    true,
  ),
  containerRule(
    'polaris/runAsPrivileged',
    'containers must not be privileged',
    (c) => (c.securityContext?.privileged ? 'privileged is true' : undefined),
    true,
  ),
  containerRule(
    'polaris/privilegeEscalationAllowed',
    'allowPrivilegeEscalation must be false',
    (c) =>
      c.securityContext?.allowPrivilegeEscalation === false
        ? undefined
        : 'allowPrivilegeEscalation is not false',
    true,
  ),
  containerRule(
    'polaris/notReadOnlyRootFilesystem',
    'the root filesystem must be read-only',
    (c) =>
      c.securityContext?.readOnlyRootFilesystem === true
        ? undefined
        : 'readOnlyRootFilesystem is not true',
    true,
  ),
  containerRule(
    'polaris/insecureCapabilities',
    'capabilities must drop ALL',
    (c) =>
      (c.securityContext?.capabilities?.drop ?? []).includes('ALL')
        ? undefined
        : 'capabilities.drop does not include ALL',
    true,
  ),
  containerRule(
    'polaris/dangerousCapabilities',
    'no dangerous capabilities added',
    (c) => {
      const added: string[] = c.securityContext?.capabilities?.add ?? [];
      return added.some((a) => ['ALL', 'SYS_ADMIN', 'NET_ADMIN'].includes(a))
        ? `adds ${added.join(', ')}`
        : undefined;
    },
    true,
  ),
  containerRule('polaris/cpuRequestsMissing', 'cpu requests set', (c) =>
    hasResource(c, 'requests', 'cpu') ? undefined : 'no cpu request',
  ),
  containerRule('polaris/memoryRequestsMissing', 'memory requests set', (c) =>
    hasResource(c, 'requests', 'memory') ? undefined : 'no memory request',
  ),
  containerRule('polaris/cpuLimitsMissing', 'cpu limits set', (c) =>
    hasResource(c, 'limits', 'cpu') ? undefined : 'no cpu limit',
  ),
  containerRule('polaris/memoryLimitsMissing', 'memory limits set', (c) =>
    hasResource(c, 'limits', 'memory') ? undefined : 'no memory limit',
  ),
  containerRule('polaris/readinessProbeMissing', 'a readiness probe is set', (c) =>
    c.readinessProbe ? undefined : 'no readinessProbe',
  ),
  containerRule('polaris/livenessProbeMissing', 'a liveness probe is set', (c) =>
    c.livenessProbe ? undefined : 'no livenessProbe',
  ),
  containerRule(
    'polaris/tagNotSpecified',
    'the image has a tag other than latest',
    (c) => {
      const tag = imageTag(c.image ?? '');
      return tag && tag !== 'latest' ? undefined : `image ${c.image} has no tag or uses latest`;
    },
    true,
  ),
  containerRule(
    'polaris/sensitiveContainerEnvVar',
    'secrets come from secretKeyRef, not literals',
    (c) => {
      const bad = (c.env ?? []).filter((e: any) => SENSITIVE.test(e.name) && e.value !== undefined);
      return bad.length ? `literal value for ${bad.map((e: any) => e.name).join(', ')}` : undefined;
    },
    true,
  ),
  podRule('polaris/automountServiceAccountToken', 'no service-account token unless needed', (p) =>
    p.automountServiceAccountToken === false
      ? undefined
      : 'automountServiceAccountToken is not false',
  ),
  podRule('polaris/linuxHardening', 'a seccomp profile (or AppArmor/SELinux) is set', (p) =>
    p.securityContext?.seccompProfile?.type === 'RuntimeDefault' ||
    p.securityContext?.seccompProfile?.type === 'Localhost'
      ? undefined
      : 'no seccompProfile on the pod',
  ),
  podRule('polaris/topologySpreadConstraint', 'pods spread over zones', (p) =>
    (p.topologySpreadConstraints ?? []).some(
      (t: any) => t.topologyKey === 'topology.kubernetes.io/zone',
    )
      ? undefined
      : 'no zone topologySpreadConstraint',
  ),
  podRule(
    'polaris/deploymentMissingReplicas',
    'a Deployment without an HPA runs ≥ 2 replicas',
    (_p, o, all) =>
      o.kind === 'Deployment' && !hpaFor(o, all) && (o.spec?.replicas ?? 1) < 2
        ? `replicas ${o.spec?.replicas ?? 1} and no HPA`
        : undefined,
  ),
  podRule('polaris/missingPodDisruptionBudget', 'a PDB covers the pods', (_p, o, all) =>
    o.kind === 'Deployment' && pdbsFor(o, all).length === 0
      ? 'no PodDisruptionBudget selects these pods'
      : undefined,
  ),
  podRule('polaris/missingNetworkPolicy', 'a NetworkPolicy selects the pods', (_p, o, all) =>
    all.some(
      (n) =>
        n.kind === 'NetworkPolicy' &&
        sameNamespace(n, o) &&
        selects(n.spec?.podSelector, podLabels(o)) &&
        (n.spec?.policyTypes ?? []).includes('Ingress') &&
        (n.spec?.policyTypes ?? []).includes('Egress'),
    )
      ? undefined
      : 'no NetworkPolicy with Ingress and Egress selects these pods',
  ),
  podRule(
    'polaris/metadataAndInstanceMismatched',
    'app.kubernetes.io/instance matches the name',
    (_p, o) => {
      const instance = o.metadata.labels?.['app.kubernetes.io/instance'];
      return instance === undefined || instance === o.metadata.name
        ? undefined
        : `instance label ${instance} ≠ name ${o.metadata.name}`;
    },
  ),
  kindRule(
    'polaris/pdbDisruptionsIsZero',
    'a PDB must allow at least one disruption',
    'PodDisruptionBudget',
    (p) =>
      p.spec?.maxUnavailable === 0 || p.spec?.maxUnavailable === '0%'
        ? 'maxUnavailable is 0: node drains hang'
        : undefined,
  ),
  kindRule(
    'polaris/pdbMinAvailableGreaterThanHPAMinReplicas',
    'PDB minAvailable below the HPA minimum',
    'PodDisruptionBudget',
    (p, all) => {
      const min = p.spec?.minAvailable;
      if (typeof min !== 'number') return undefined;
      const target = workloads(all).find(
        (w) => sameNamespace(w, p) && selects(p.spec?.selector, podLabels(w)),
      );
      const hpa = target && hpaFor(target, all);
      return hpa && min >= (hpa.spec?.minReplicas ?? 1)
        ? `minAvailable ${min} ≥ HPA minReplicas ${hpa.spec.minReplicas}`
        : undefined;
    },
  ),
  kindRule('polaris/hpaMinAvailability', 'HPA minReplicas ≥ 2', 'HorizontalPodAutoscaler', (h) =>
    (h.spec?.minReplicas ?? 1) < 2 ? `minReplicas ${h.spec?.minReplicas ?? 1}` : undefined,
  ),
  kindRule(
    'polaris/hpaMaxAvailability',
    'HPA maxReplicas > minReplicas',
    'HorizontalPodAutoscaler',
    (h) =>
      h.spec?.maxReplicas <= (h.spec?.minReplicas ?? 1)
        ? `maxReplicas ${h.spec?.maxReplicas} ≤ minReplicas`
        : undefined,
  ),

  // ---- kube-score ----
  containerRule('kube-score/container-resources', 'cpu and memory requests and limits', (c) =>
    ['cpu', 'memory'].every((r) => hasResource(c, 'requests', r) && hasResource(c, 'limits', r))
      ? undefined
      : 'missing cpu/memory requests or limits',
  ),
  containerRule(
    'kube-score/container-ephemeral-storage-request-and-limit',
    'ephemeral-storage request and limit',
    (c) =>
      hasResource(c, 'requests', 'ephemeral-storage') &&
      hasResource(c, 'limits', 'ephemeral-storage')
        ? undefined
        : 'missing ephemeral-storage request or limit',
  ),
  containerRule('kube-score/container-image-tag', 'image tag is not latest', (c) => {
    const tag = imageTag(c.image ?? '');
    return tag && tag !== 'latest' ? undefined : 'image tag is latest or missing';
  }),
  containerRule('kube-score/container-image-pull-policy', 'imagePullPolicy Always', (c) =>
    c.imagePullPolicy === 'Always'
      ? undefined
      : `imagePullPolicy is ${c.imagePullPolicy ?? 'unset'}`,
  ),
  containerRule(
    'kube-score/container-security-context-user-group-id',
    'runs as UID and GID > 10000',
    (c, p) =>
      (effective(c, p, 'runAsUser') ?? 0) > 10000 && (effective(c, p, 'runAsGroup') ?? 0) > 10000
        ? undefined
        : 'runAsUser/runAsGroup ≤ 10000 or unset',
  ),
  containerRule('kube-score/container-security-context-privileged', 'not privileged', (c) =>
    c.securityContext?.privileged ? 'privileged' : undefined,
  ),
  containerRule(
    'kube-score/container-security-context-readonlyrootfilesystem',
    'read-only root filesystem',
    (c) =>
      c.securityContext?.readOnlyRootFilesystem === true
        ? undefined
        : 'readOnlyRootFilesystem not true',
  ),
  podRule('kube-score/pod-probes', 'readiness and liveness probes differ', (p) => {
    const c = p.containers?.[0];
    if (!c?.readinessProbe || !c?.livenessProbe) return 'readiness or liveness probe missing';
    return JSON.stringify(c.readinessProbe) === JSON.stringify(c.livenessProbe)
      ? 'readiness and liveness probes are identical'
      : undefined;
  }),
  podRule('kube-score/pod-networkpolicy', 'a NetworkPolicy selects the pods', (_p, o, all) =>
    all.some(
      (n) =>
        n.kind === 'NetworkPolicy' &&
        sameNamespace(n, o) &&
        selects(n.spec?.podSelector, podLabels(o)),
    )
      ? undefined
      : 'no NetworkPolicy',
  ),
  podRule(
    'kube-score/deployment-has-host-podantiaffinity',
    'pods prefer different nodes',
    (p, o) =>
      o.kind !== 'Deployment' ||
      (p.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some(
        (t: any) => t.podAffinityTerm?.topologyKey === 'kubernetes.io/hostname',
      ) ||
      (p.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
        (t: any) => t.topologyKey === 'kubernetes.io/hostname',
      )
        ? undefined
        : 'no hostname pod anti-affinity',
  ),
  podRule(
    'kube-score/deployment-has-poddisruptionbudget',
    'a PDB covers the Deployment',
    (_p, o, all) =>
      o.kind === 'Deployment' && pdbsFor(o, all).length === 0
        ? 'no PodDisruptionBudget'
        : undefined,
  ),
  podRule(
    'kube-score/deployment-targeted-by-hpa-does-not-have-replicas',
    'replicas unset when an HPA drives it',
    (_p, o, all) =>
      o.kind === 'Deployment' && hpaFor(o, all) && o.spec?.replicas !== undefined
        ? `replicas ${o.spec.replicas} fights the HPA`
        : undefined,
  ),
  kindRule(
    'kube-score/networkpolicy-targets-pod',
    'a NetworkPolicy selects some pods',
    'NetworkPolicy',
    (n, all) =>
      workloads(all).some((w) => sameNamespace(w, n) && selects(n.spec?.podSelector, podLabels(w)))
        ? undefined
        : 'selects no pod',
  ),
  kindRule('kube-score/service-targets-pod', 'a Service selects some pods', 'Service', (s, all) =>
    workloads(all).some((w) => sameNamespace(w, s) && selects(s.spec?.selector, podLabels(w)))
      ? undefined
      : 'selects no pod',
  ),
  kindRule('kube-score/service-type', 'no NodePort Services', 'Service', (s) =>
    s.spec?.type === 'NodePort' ? 'type NodePort' : undefined,
  ),
  kindRule('kube-score/ingress-targets-service', 'Ingress backends exist', 'Ingress', (i, all) => {
    const names = (i.spec?.rules ?? []).flatMap((r: any) =>
      (r.http?.paths ?? []).map((p: any) => p.backend?.service?.name),
    );
    const missing = names.filter(
      (n: string) =>
        !all.some((s) => s.kind === 'Service' && sameNamespace(s, i) && s.metadata.name === n),
    );
    return missing.length ? `no Service ${missing.join(', ')}` : undefined;
  }),
  kindRule(
    'kube-score/horizontalpodautoscaler-has-target',
    'the HPA target exists',
    'HorizontalPodAutoscaler',
    (h, all) => {
      const t = h.spec?.scaleTargetRef;
      return all.some(
        (o) => o.kind === t?.kind && o.metadata.name === t?.name && sameNamespace(o, h),
      )
        ? undefined
        : `no ${t?.kind} ${t?.name}`;
    },
  ),
  kindRule(
    'kube-score/poddisruptionbudget-has-policy',
    'the PDB has a policy and selects pods',
    'PodDisruptionBudget',
    (p, all) =>
      p.spec?.maxUnavailable === undefined && p.spec?.minAvailable === undefined
        ? 'neither maxUnavailable nor minAvailable'
        : workloads(all).some((w) => sameNamespace(w, p) && selects(p.spec?.selector, podLabels(w)))
          ? undefined
          : 'selects no pod',
  ),
  {
    id: 'kube-score/stable-version',
    description: 'stable API versions',
    check: (objects) =>
      objects
        .filter((o) => /(alpha|beta)/.test(o.apiVersion) || o.apiVersion === 'extensions/v1beta1')
        .map((o) => ({
          rule: 'kube-score/stable-version',
          object: ref(o),
          message: `uses ${o.apiVersion}`,
        })),
  },
  {
    id: 'kube-score/label-values',
    description: 'label values are valid',
    check: (objects) =>
      objects.flatMap((o) =>
        Object.entries(o.metadata.labels ?? {})
          .filter(
            ([, v]) => v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v),
          )
          .map(([k, v]) => ({
            rule: 'kube-score/label-values',
            object: ref(o),
            message: `label ${k}=${v} is invalid`,
          })),
      ),
  },

  // ---- kube-linter ----
  containerRule(
    'kube-linter/run-as-non-root',
    'runAsNonRoot',
    (c, p) => (effective(c, p, 'runAsNonRoot') ? undefined : 'runAsNonRoot not set'),
    true,
  ),
  containerRule(
    'kube-linter/no-read-only-root-fs',
    'read-only root filesystem',
    (c) => (c.securityContext?.readOnlyRootFilesystem ? undefined : 'writable root filesystem'),
    true,
  ),
  containerRule(
    'kube-linter/privilege-escalation-container',
    'no privilege escalation',
    (c) => (c.securityContext?.allowPrivilegeEscalation === false ? undefined : 'may escalate'),
    true,
  ),
  containerRule(
    'kube-linter/privileged-container',
    'not privileged',
    (c) => (c.securityContext?.privileged ? 'privileged' : undefined),
    true,
  ),
  containerRule(
    'kube-linter/drop-net-raw-capability',
    'NET_RAW dropped',
    (c) => {
      const drop: string[] = c.securityContext?.capabilities?.drop ?? [];
      return drop.includes('ALL') || drop.includes('NET_RAW') ? undefined : 'NET_RAW not dropped';
    },
    true,
  ),
  containerRule(
    'kube-linter/latest-tag',
    'no latest tag',
    (c) => (imageTag(c.image ?? '') === 'latest' ? 'latest tag' : undefined),
    true,
  ),
  containerRule('kube-linter/unset-cpu-requirements', 'cpu requests and limits', (c) =>
    hasResource(c, 'requests', 'cpu') && hasResource(c, 'limits', 'cpu') ? undefined : 'cpu unset',
  ),
  containerRule('kube-linter/unset-memory-requirements', 'memory limits', (c) =>
    hasResource(c, 'limits', 'memory') ? undefined : 'memory limit unset',
  ),
  containerRule(
    'kube-linter/env-var-secret',
    'no secrets in env literals',
    (c) => {
      const bad = (c.env ?? []).filter(
        (e: any) => /secret|password|token/i.test(e.name) && e.value !== undefined,
      );
      return bad.length ? `literal ${bad.map((e: any) => e.name).join(', ')}` : undefined;
    },
    true,
  ),
  containerRule('kube-linter/ssh-port', 'no port 22', (c) =>
    (c.ports ?? []).some((p: any) => p.containerPort === 22) ? 'exposes 22' : undefined,
  ),
  containerRule('kube-linter/liveness-port', 'the liveness probe port is declared', (c) =>
    probeTargetsDeclaredPort(c.livenessProbe, c) ? undefined : 'liveness probe port not declared',
  ),
  containerRule('kube-linter/readiness-port', 'the readiness probe port is declared', (c) =>
    probeTargetsDeclaredPort(c.readinessProbe, c) ? undefined : 'readiness probe port not declared',
  ),
  containerRule('kube-linter/startup-port', 'the startup probe port is declared', (c) =>
    probeTargetsDeclaredPort(c.startupProbe, c) ? undefined : 'startup probe port not declared',
  ),
  podRule('kube-linter/host-ipc', 'no hostIPC', (p) => (p.hostIPC ? 'hostIPC' : undefined)),
  podRule('kube-linter/host-network', 'no hostNetwork', (p) =>
    p.hostNetwork ? 'hostNetwork' : undefined,
  ),
  podRule('kube-linter/host-pid', 'no hostPID', (p) => (p.hostPID ? 'hostPID' : undefined)),
  podRule('kube-linter/no-anti-affinity', 'pod anti-affinity when replicas > 1', (p, o, all) =>
    (o.spec?.replicas ?? (hpaFor(o, all) ? 2 : 1)) > 1 && !p.affinity?.podAntiAffinity
      ? 'no podAntiAffinity'
      : undefined,
  ),
  podRule('kube-linter/mismatching-selector', 'the selector matches the pod labels', (_p, o) =>
    o.spec?.selector && !selects(o.spec.selector, podLabels(o))
      ? 'selector does not match template labels'
      : undefined,
  ),
  podRule('kube-linter/sensitive-host-mounts', 'no sensitive hostPath mounts', (p) =>
    (p.volumes ?? []).some((v: any) => v.hostPath) ? 'hostPath volume' : undefined,
  ),
  podRule('kube-linter/deprecated-service-account-field', 'serviceAccount is deprecated', (p) =>
    p.serviceAccount ? 'uses serviceAccount' : undefined,
  ),
  podRule('kube-linter/non-existent-service-account', 'the service account exists', (p, o, all) => {
    const sa = p.serviceAccountName;
    return !sa ||
      sa === 'default' ||
      all.some((s) => s.kind === 'ServiceAccount' && s.metadata.name === sa && sameNamespace(s, o))
      ? undefined
      : `no ServiceAccount ${sa}`;
  }),
  kindRule('kube-linter/dangling-service', 'the Service selects pods', 'Service', (s, all) =>
    !s.spec?.selector ||
    workloads(all).some((w) => sameNamespace(w, s) && selects(s.spec.selector, podLabels(w)))
      ? undefined
      : 'dangling',
  ),
  kindRule(
    'kube-linter/invalid-target-ports',
    'targetPort names a container port',
    'Service',
    (s, all) => {
      const pods = workloads(all).filter(
        (w) => sameNamespace(w, s) && selects(s.spec?.selector, podLabels(w)),
      );
      const bad = (s.spec?.ports ?? []).filter(
        (port: any) =>
          typeof port.targetPort === 'string' &&
          !pods.some((w) =>
            (podSpec(w).containers ?? []).some((c: any) =>
              (c.ports ?? []).some((cp: any) => cp.name === port.targetPort),
            ),
          ),
      );
      return bad.length
        ? `targetPort ${bad.map((p: any) => p.targetPort).join(', ')} is not a container port`
        : undefined;
    },
  ),
  kindRule(
    'kube-linter/dangling-networkpolicy',
    'the NetworkPolicy selects pods',
    'NetworkPolicy',
    (n, all) =>
      workloads(all).some((w) => sameNamespace(w, n) && selects(n.spec?.podSelector, podLabels(w)))
        ? undefined
        : 'dangling',
  ),
  kindRule(
    'kube-linter/dangling-horizontalpodautoscaler',
    'the HPA target exists',
    'HorizontalPodAutoscaler',
    (h, all) =>
      all.some(
        (o) =>
          o.kind === h.spec?.scaleTargetRef?.kind &&
          o.metadata.name === h.spec?.scaleTargetRef?.name,
      )
        ? undefined
        : 'dangling',
  ),
  kindRule(
    'kube-linter/pdb-max-unavailable',
    'maxUnavailable is not 0',
    'PodDisruptionBudget',
    (p) =>
      p.spec?.maxUnavailable === 0 || p.spec?.maxUnavailable === '0%'
        ? 'maxUnavailable 0'
        : undefined,
  ),
  kindRule(
    'kube-linter/pdb-unhealthy-pod-eviction-policy',
    'unhealthy pods may be evicted',
    'PodDisruptionBudget',
    (p) =>
      p.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow'
        ? undefined
        : 'unhealthyPodEvictionPolicy is not AlwaysAllow',
  ),
];

/** Runs every rule (or those given) and returns the findings. */
export function checkPolicies(
  objects: readonly K8sObject[],
  rules: readonly PolicyRule[] = POLICY_RULES,
): Finding[] {
  return rules.flatMap((rule) => rule.check(objects));
}
