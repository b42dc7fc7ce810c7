/**
 * The built-in Kubernetes APIs: which `group/version` serves which kinds, from which minor
 * version, until which.
 * - Served GA APIs: the API reference, https://kubernetes.io/docs/reference/kubernetes-api/, and
 *   the release notes of the minor that graduated each (e.g. CronJob and PodDisruptionBudget
 *   GA in 1.21, autoscaling/v2 in 1.23, ValidatingAdmissionPolicy in 1.30, DRA resource.k8s.io/v1
 *   and VolumeAttributesClass in 1.34).
 * - Removed APIs: the deprecated API migration guide,
 *   https://kubernetes.io/docs/reference/using-api/deprecation-guide/ (sections v1.16, v1.22,
 *   v1.25, v1.26, v1.27, v1.29, v1.32).
 * Only the table is consulted: an API of a built-in group that it does not list is reported, and
 * a caller can add one with `servedApis` (e.g. a beta API turned on in a cluster).
 */

/** A `group/version` and the kinds it serves, with the minors it is served in. */
export interface BuiltinApi {
  readonly groupVersion: string;
  readonly kinds: readonly string[];
  /** First minor (1.x) that serves these kinds. @default always served */
  readonly since?: number;
  /** First minor that no longer serves them. @default still served */
  readonly removedIn?: number;
}

const api = (
  groupVersion: string,
  kinds: string,
  range: { since?: number; removedIn?: number } = {},
): BuiltinApi => ({ groupVersion, kinds: kinds.split(' '), ...range });

/** Built-in APIs, GA and removed. */
export const BUILTIN_APIS: readonly BuiltinApi[] = [
  api(
    'v1',
    'Binding ConfigMap Endpoints Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount',
  ),
  api('apps/v1', 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet'),
  api('batch/v1', 'Job'),
  api('batch/v1', 'CronJob', { since: 21 }),
  api('autoscaling/v1', 'HorizontalPodAutoscaler'),
  api('autoscaling/v2', 'HorizontalPodAutoscaler', { since: 23 }),
  api('policy/v1', 'Eviction'),
  api('policy/v1', 'PodDisruptionBudget', { since: 21 }),
  api('networking.k8s.io/v1', 'NetworkPolicy'),
  api('networking.k8s.io/v1', 'Ingress IngressClass', { since: 19 }),
  api('networking.k8s.io/v1', 'IPAddress ServiceCIDR', { since: 33 }),
  api('rbac.authorization.k8s.io/v1', 'ClusterRole ClusterRoleBinding Role RoleBinding'),
  api('scheduling.k8s.io/v1', 'PriorityClass'),
  api('storage.k8s.io/v1', 'CSIDriver CSINode StorageClass VolumeAttachment'),
  api('storage.k8s.io/v1', 'CSIStorageCapacity', { since: 24 }),
  api('storage.k8s.io/v1', 'VolumeAttributesClass', { since: 34 }),
  api(
    'admissionregistration.k8s.io/v1',
    'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  ),
  api(
    'admissionregistration.k8s.io/v1',
    'ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding',
    { since: 30 },
  ),
  api('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
  api('apiregistration.k8s.io/v1', 'APIService'),
  api('coordination.k8s.io/v1', 'Lease'),
  api('discovery.k8s.io/v1', 'EndpointSlice', { since: 21 }),
  api('events.k8s.io/v1', 'Event', { since: 19 }),
  api('node.k8s.io/v1', 'RuntimeClass', { since: 20 }),
  api('certificates.k8s.io/v1', 'CertificateSigningRequest', { since: 19 }),
  api('authentication.k8s.io/v1', 'TokenReview'),
  api(
    'authorization.k8s.io/v1',
    'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  ),
  api('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema PriorityLevelConfiguration', { since: 29 }),
  api('resource.k8s.io/v1', 'DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice', {
    since: 34,
  }),
  // removed: deprecation-guide sections v1.16 … v1.32
  api('extensions/v1beta1', 'DaemonSet Deployment NetworkPolicy PodSecurityPolicy ReplicaSet', {
    removedIn: 16,
  }),
  api('extensions/v1beta1', 'Ingress', { removedIn: 22 }),
  api('apps/v1beta1', 'ControllerRevision Deployment StatefulSet', { removedIn: 16 }),
  api('apps/v1beta2', 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet', {
    removedIn: 16,
  }),
  api(
    'admissionregistration.k8s.io/v1beta1',
    'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
    {
      removedIn: 22,
    },
  ),
  api('apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', { removedIn: 22 }),
  api('apiregistration.k8s.io/v1beta1', 'APIService', { removedIn: 22 }),
  api('authentication.k8s.io/v1beta1', 'TokenReview', { removedIn: 22 }),
  api(
    'authorization.k8s.io/v1beta1',
    'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
    { removedIn: 22 },
  ),
  api('certificates.k8s.io/v1beta1', 'CertificateSigningRequest', { removedIn: 22 }),
  api('coordination.k8s.io/v1beta1', 'Lease', { removedIn: 22 }),
  api('networking.k8s.io/v1beta1', 'Ingress IngressClass', { removedIn: 22 }),
  api('rbac.authorization.k8s.io/v1beta1', 'ClusterRole ClusterRoleBinding Role RoleBinding', {
    removedIn: 22,
  }),
  api('scheduling.k8s.io/v1beta1', 'PriorityClass', { removedIn: 22 }),
  api('storage.k8s.io/v1beta1', 'CSIDriver CSINode StorageClass VolumeAttachment', {
    removedIn: 22,
  }),
  api('storage.k8s.io/v1beta1', 'CSIStorageCapacity', { removedIn: 27 }),
  api('batch/v1beta1', 'CronJob', { removedIn: 25 }),
  api('discovery.k8s.io/v1beta1', 'EndpointSlice', { removedIn: 25 }),
  api('events.k8s.io/v1beta1', 'Event', { removedIn: 25 }),
  api('autoscaling/v2beta1', 'HorizontalPodAutoscaler', { removedIn: 25 }),
  api('policy/v1beta1', 'PodDisruptionBudget PodSecurityPolicy', { removedIn: 25 }),
  api('node.k8s.io/v1beta1', 'RuntimeClass', { removedIn: 25 }),
  api('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema PriorityLevelConfiguration', {
    removedIn: 26,
  }),
  api('autoscaling/v2beta2', 'HorizontalPodAutoscaler', { removedIn: 26 }),
  api('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema PriorityLevelConfiguration', {
    removedIn: 29,
  }),
  api('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema PriorityLevelConfiguration', {
    removedIn: 32,
  }),
];

/** Groups only Kubernetes itself serves: the core group, the unsuffixed ones, `*.k8s.io`. */
export function isBuiltinGroup(group: string, apis: readonly BuiltinApi[] = BUILTIN_APIS): boolean {
  return (
    group === '' ||
    group.endsWith('.k8s.io') ||
    apis.some((a) => a.groupVersion.split('/').slice(0, -1).join('/') === group)
  );
}

/** The minor of a `1.x` version string. */
export const minorOf = (version: string | undefined) =>
  version === undefined ? undefined : Number(/^1\.(\d+)/.exec(version)?.[1] ?? NaN);

/**
 * Whether Kubernetes `version` serves `kind` at `apiVersion`: `served`, or why not.
 * @returns `served`, `removed` (with the minor), `not-yet` (with the minor) or `unknown`
 */
export function builtinStatus(
  apiVersion: string,
  kind: string,
  version: string | undefined,
  apis: readonly BuiltinApi[] = BUILTIN_APIS,
): { status: 'served' | 'removed' | 'not-yet' | 'unknown'; minor?: number } {
  const minor = minorOf(version) ?? Infinity;
  const rows = apis.filter((a) => a.groupVersion === apiVersion && a.kinds.includes(kind));
  if (rows.some((a) => (a.since ?? 0) <= minor && minor < (a.removedIn ?? Infinity))) {
    return { status: 'served' };
  }
  const removed = rows.find((a) => a.removedIn !== undefined && a.removedIn <= minor);
  if (removed) return { status: 'removed', minor: removed.removedIn };
  const later = rows.find((a) => (a.since ?? 0) > minor);
  if (later) return { status: 'not-yet', minor: later.since };
  return { status: 'unknown' };
}
