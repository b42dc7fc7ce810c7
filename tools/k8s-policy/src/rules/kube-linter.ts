/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import { podLabels, podSpec, selects } from '../manifest.js';
import { hpaFor, probeTargetsDeclaredPort, sameNamespace, workloads } from './cross-references.js';
import { effective, hasResource, imageTag, literalSecretEnv } from './fields.js';
import { containerRule, kindRule, podRule, type PolicyRule } from './rule.js';

/**
 * kube-linter (StackRox): its checks that concern workloads, Services, HPAs, PDBs and
 * NetworkPolicies, with their upstream ids (`kube-linter/<check>`).
 *
 * @see https://docs.kubelinter.io/#/generated/checks
 */
export const KUBE_LINTER_RULES: readonly PolicyRule[] = [
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
      const bad = literalSecretEnv(c);
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
