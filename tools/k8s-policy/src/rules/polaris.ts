/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import { podLabels, selects } from '../manifest.js';
import { hpaFor, pdbsFor, sameNamespace, workloads } from './cross-references.js';
import { effective, hasResource, imageTag, literalSecretEnv } from './fields.js';
import { containerRule, kindRule, podRule, type PolicyRule } from './rule.js';

/**
 * Polaris (Fairwinds): its default-on security, efficiency and reliability checks that concern
 * workloads, PDBs and HPAs, with their upstream ids (`polaris/<check>`).
 *
 * @see https://polaris.docs.fairwinds.com/checks/security/
 * @see https://polaris.docs.fairwinds.com/checks/efficiency/
 * @see https://polaris.docs.fairwinds.com/checks/reliability/
 */
export const POLARIS_RULES: readonly PolicyRule[] = [
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
      const bad = literalSecretEnv(c);
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
];
