import { ref, type Finding, type K8sObject } from './manifest.js';

/** Custom resources we emit on purpose, with the fields their controllers require. */
const KNOWN_CUSTOM_RESOURCES: Record<string, (o: K8sObject) => string[]> = {
  'monitoring.coreos.com/v1/PrometheusRule': (o) => {
    const groups = o.spec?.groups;
    if (!Array.isArray(groups) || groups.length === 0)
      return ['spec.groups must be a non-empty array'];
    return groups.flatMap(
      (g: { name?: unknown; rules?: Array<Record<string, unknown>> }, i: number) => [
        ...(typeof g.name === 'string' ? [] : [`spec.groups[${i}].name must be a string`]),
        ...(g.rules ?? []).flatMap((r, j) =>
          typeof r.expr === 'string' &&
          (typeof r.alert === 'string' || typeof r.record === 'string')
            ? []
            : [`spec.groups[${i}].rules[${j}] needs expr and alert (or record)`],
        ),
      ],
    );
  },
};

/**
 * Validates every object against the official Kubernetes OpenAPI schemas, as compiled by
 * kubernetes-models (Kubernetes 1.34 API). Known custom resources get a structural check; any
 * other kind is a finding, so nothing passes unchecked.
 */
export async function validateSchemas(objects: readonly K8sObject[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    const custom = KNOWN_CUSTOM_RESOURCES[key];
    if (custom) {
      for (const message of custom(o)) findings.push({ rule: 'schema', object: ref(o), message });
      continue;
    }
    type Model = new (data: unknown) => { validate(): void };
    let Model: Model | undefined;
    try {
      const module = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`)) as Record<
        string,
        Model
      >;
      Model = module[o.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      findings.push({ rule: 'schema', object: ref(o), message: `no schema for ${key}` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (error) {
      findings.push({ rule: 'schema', object: ref(o), message: (error as Error).message });
    }
  }
  return findings;
}
