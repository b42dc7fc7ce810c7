/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
import { containersOf, podSpec, ref, type Finding, type K8sObject } from '../manifest.js';

/** One check over a set of manifests, under its upstream id (`<tool>/<rule>`). */
export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  check(objects: readonly K8sObject[]): Finding[];
}

/** Checks one container of a pod: a message when it is wrong, undefined when it is fine. */
export type ContainerCheck = (c: any, pod: any, o: K8sObject) => string | undefined;
/** Checks one subject of an object, knowing every object: a message, or undefined when fine. */
export type Check<S> = (subject: S, o: K8sObject, all: readonly K8sObject[]) => string | undefined;

/** A rule: for each object, the subjects it holds (with the name a finding reports), checked. */
export function rule<S>(
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
          if (exempt(id, o)) return [];
          const message = check(subject, o, objects);
          return message ? [{ rule: id, object, message }] : [];
        }),
      ),
  };
}

/** A rule applied to each (non-init, unless `initToo`) container of each workload. */
export function containerRule(
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
export function podRule(id: string, description: string, check: Check<any>): PolicyRule {
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
export function kindRule(
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

/**
 * Polaris's exemption annotations on the controller: `polaris.fairwinds.com/exempt=true` (every
 * check) or `polaris.fairwinds.com/<check>-exempt=true` (one), as real Polaris honours them
 * (FairwindsOps/polaris docs/customization/exemptions.md, "Annotations").
 */
function exempt(id: string, o: K8sObject): boolean {
  if (id.startsWith('kube-score/')) return kubeScoreIgnored(id.slice('kube-score/'.length), o);
  if (!id.startsWith('polaris/')) return false;
  const annotations: Record<string, string> = (o as any).metadata?.annotations ?? {};
  const check = id.slice('polaris/'.length);
  return (
    annotations['polaris.fairwinds.com/exempt'] === 'true' ||
    annotations[`polaris.fairwinds.com/${check}-exempt`] === 'true'
  );
}

/**
 * kube-score's `kube-score/ignore` annotation: a comma-separated list of check ids, on the object
 * or on its pod template, skips those checks for it (zegl/kube-score README.md, "Ignoring a test";
 * scorecard/enabled.go `isEnabled`, which also reads the pod template's annotations, and the
 * implied `container-resources` → `container-ephemeral-storage-request-and-limit`).
 */
function kubeScoreIgnored(check: string, o: K8sObject): boolean {
  const implied: Record<string, string[]> = {
    'container-resources': ['container-ephemeral-storage-request-and-limit'],
  };
  const listed = (csv: string | undefined) =>
    (csv ?? '')
      .split(',')
      .map((v) => v.trim())
      .some((v) => v === check || (implied[v] ?? []).includes(check));
  const meta = (o as any).metadata?.annotations ?? {};
  const template = (o as any).spec?.template?.metadata?.annotations ?? {};
  return listed(meta['kube-score/ignore']) || listed(template['kube-score/ignore']);
}
