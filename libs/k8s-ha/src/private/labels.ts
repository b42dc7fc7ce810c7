import { checkLabelValue } from './validation.js';

/** The labels that select the pods of one workload (stable across versions). */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
}

/**
 * The recommended labels on every object.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function commonLabels(
  name: string,
  extra: {
    readonly version?: string;
    readonly component?: string;
    readonly partOf?: string;
    /** The user's own labels, checked by {@link checkExtraLabels}. */
    readonly extra?: Readonly<Record<string, string>>;
  } = {},
): Record<string, string> {
  checkExtraLabels(extra.extra ?? {});
  return {
    ...extra.extra,
    ...selectorLabels(name),
    ...(extra.version ? { 'app.kubernetes.io/version': sanitizeLabelValue(extra.version) } : {}),
    ...(extra.component ? { 'app.kubernetes.io/component': extra.component } : {}),
    'app.kubernetes.io/managed-by': 'cdk8s',
    'app.kubernetes.io/part-of': extra.partOf ?? name,
  };
}

/** Label values: at most 63 characters of [A-Za-z0-9._-], alphanumeric at both ends. */
function sanitizeLabelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** The recommended labels the construct writes, and the prop that sets each. */
const OWN_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': "'name' (it is the pod selector, which cannot change)",
  'app.kubernetes.io/instance': "'name' (it is the pod selector, which cannot change)",
  'app.kubernetes.io/version': "'version' (default: the image tag)",
  'app.kubernetes.io/component': "'component'",
  'app.kubernetes.io/part-of': "'partOf'",
  'app.kubernetes.io/managed-by': 'nothing: the manifests are made by cdk8s',
};

const LABEL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Refuses label keys Kubernetes rejects (an optional DNS subdomain prefix of at most 253
 * characters, '/', a name of at most 63), values that are not label values, and the labels the
 * construct owns.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
function checkExtraLabels(labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (key in OWN_LABELS) {
      throw new Error(
        `'labels.${key}' must not be set: the construct writes it; set it through ${OWN_LABELS[key]}`,
      );
    }
    const slash = key.lastIndexOf('/');
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (
      !LABEL_NAME.test(name) ||
      (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix)))
    ) {
      throw new Error(
        `'labels' key (${key}) must be [prefix/]name: a name of at most 63 letters, digits, '.', '_' ` +
          `or '-' (alphanumeric at both ends) after an optional DNS subdomain prefix, e.g. 'example.com/team'`,
      );
    }
    checkLabelValue(`labels.${key}`, value);
  }
}
