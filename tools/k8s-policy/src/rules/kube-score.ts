/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import { podLabels, ref, selects } from '../manifest.js';
import { hpaFor, pdbsFor, sameNamespace, workloads } from './cross-references.js';
import { effective, hasResource, imageTag } from './fields.js';
import { containerRule, kindRule, podRule, type PolicyRule } from './rule.js';

/**
 * kube-score (zegl): its default checks that concern workloads, Services, Ingresses, HPAs, PDBs
 * and NetworkPolicies, with their upstream ids (`kube-score/<check>`).
 *
 * @see https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
 */
export const KUBE_SCORE_RULES: readonly PolicyRule[] = [
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
  // zegl/kube-score score/container/container.go, containerImagePullPolicy: init containers too;
  // an unset policy passes when the tag is empty or latest (Kubernetes then defaults to Always).
  containerRule(
    'kube-score/container-image-pull-policy',
    'imagePullPolicy Always',
    (c) => {
      const tag = imageTag(c.image ?? '');
      if (c.imagePullPolicy === undefined && (!tag || tag === 'latest')) return undefined;
      return c.imagePullPolicy === 'Always'
        ? undefined
        : `imagePullPolicy is ${c.imagePullPolicy ?? 'unset'}`;
    },
    true,
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
  // zegl/kube-score score/probes/probes.go: "Pod Probes" requires a readiness and a liveness
  // probe only for pods a Service targets ("The pod is not targeted by a service, skipping probe
  // checks"); "Pod Probes Identical" applies to every pod.
  podRule('kube-score/pod-probes', 'readiness and liveness probes differ', (p, o, all) => {
    const c = p.containers?.[0];
    if (c?.readinessProbe && c?.livenessProbe) {
      return JSON.stringify(c.readinessProbe) === JSON.stringify(c.livenessProbe)
        ? 'readiness and liveness probes are identical'
        : undefined;
    }
    const labels = podLabels(o);
    const targeted = all.some(
      (s) =>
        s.kind === 'Service' &&
        sameNamespace(s, o) &&
        s.spec?.selector &&
        Object.entries(s.spec.selector).every(([k, v]) => labels[k] === v),
    );
    return targeted ? 'readiness or liveness probe missing' : undefined;
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
];
