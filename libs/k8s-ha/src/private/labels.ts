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
  extra: { readonly version?: string; readonly component?: string; readonly partOf?: string } = {},
): Record<string, string> {
  return {
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
