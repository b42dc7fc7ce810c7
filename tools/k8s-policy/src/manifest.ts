/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */

/** A Kubernetes object as synthesized (YAML or JSON). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  readonly [field: string]: any;
}

/** One problem found in a set of manifests. */
export interface Finding {
  /** `<tool>/<rule>` (e.g. `kube-score/pod-probes`) or `schema`. */
  readonly rule: string;
  /** `<Kind>/<name>` of the object, `<Kind>/<name>:<container>` for a container. */
  readonly object: string;
  readonly message: string;
}

/** `<Kind>/<namespace>/<name>`. */
export function ref(o: K8sObject, container?: string): string {
  const ns = o.metadata.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind}/${ns}${o.metadata.name ?? '?'}${container ? `:${container}` : ''}`;
}

/** The pod template of a workload, or undefined for other kinds. */
export function podSpec(o: K8sObject): any | undefined {
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) {
    return o.spec?.template?.spec;
  }
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  if (o.kind === 'Pod') return o.spec;
  return undefined;
}

/** Labels of a workload's pods. */
export function podLabels(o: K8sObject): Record<string, string> {
  return o.kind === 'Pod' ? (o.metadata.labels ?? {}) : (o.spec?.template?.metadata?.labels ?? {});
}

/** Whether `labels` satisfy a label selector (matchLabels and matchExpressions). */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels: Record<string, string> =
    selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return Object.keys(matchLabels).length > 0 || (selector.matchExpressions ?? []).length > 0;
}

/** Every container of a pod spec, init containers included, with its kind. */
export function containersOf(spec: any): Array<{ c: any; init: boolean }> {
  return [
    ...(spec?.initContainers ?? []).map((c: any) => ({ c, init: true })),
    ...(spec?.containers ?? []).map((c: any) => ({ c, init: false })),
  ];
}
