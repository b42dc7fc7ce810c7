/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML documents */
/**
 * Look-ups from one object to the others it names or selects (a workload's HPA and PDBs, the
 * workloads in a namespace, a probe's port among the container's ports): what the cross-reference
 * rules of all three tools (selectors, target ports, backends, HPA targets, probe ports) share.
 */
import { podLabels, podSpec, selects, type K8sObject } from '../manifest.js';

/** Whether two objects are in the same namespace (none counts as the same one). */
export const sameNamespace = (a: K8sObject, b: K8sObject) =>
  (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

/** The objects that have a pod spec. */
export const workloads = (all: readonly K8sObject[]) => all.filter((o) => podSpec(o) !== undefined);

/** The HorizontalPodAutoscaler that scales `o`, if any. */
export const hpaFor = (o: K8sObject, all: readonly K8sObject[]) =>
  all.find(
    (h) =>
      h.kind === 'HorizontalPodAutoscaler' &&
      sameNamespace(h, o) &&
      h.spec?.scaleTargetRef?.kind === o.kind &&
      h.spec?.scaleTargetRef?.name === o.metadata.name,
  );

/** The PodDisruptionBudgets that select the pods of `o`. */
export const pdbsFor = (o: K8sObject, all: readonly K8sObject[]) =>
  all.filter(
    (p) =>
      p.kind === 'PodDisruptionBudget' &&
      sameNamespace(p, o) &&
      selects(p.spec?.selector, podLabels(o)),
  );

/** Whether a probe's port (if it names one) is a port the container declares. */
export const probeTargetsDeclaredPort = (probe: any, c: any) => {
  const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
  if (port === undefined) return true;
  return (c.ports ?? []).some((p: any) => p.name === port || p.containerPort === port);
};
