import { dependencyClosure, resolveText, resourcesOfType } from '../cfn.ts';
import {
  describeObject,
  getPath,
  kubectlResourcesOf,
  splitApiVersion,
  type KubectlResource,
  type KubeObject,
} from '../eks.ts';
import { builtinStatus, isBuiltinGroup } from '../k8s-apis.ts';
import {
  AUTO_MODE_KINDS,
  KNOWN_ADDON_KINDS,
  KNOWN_CHART_KINDS,
  provides,
  type ChartKinds,
} from '../providers.ts';
import type { Assembly, CheckOptions, Finding, Rule, StackTemplate } from '../types.ts';

/**
 * api-served: every object's apiVersion/kind is served by the cluster's Kubernetes version
 * (k8s-apis.ts, from https://kubernetes.io/docs/reference/using-api/deprecation-guide/), or by a
 * CRD that a resource it depends on installs: a CustomResourceDefinition in another manifest, a
 * Helm release of a chart known to ship it (providers.ts), an EKS add-on, or EKS Auto Mode.
 * The kubectl handler runs `kubectl create`/`apply` on the whole manifest and fails the custom
 * resource on any error (packages/@aws-cdk/custom-resource-handlers/lib/aws-eks/kubectl-handler/
 * apply/__init__.py, `kubectl()`: `raise Exception(error_msg)`); for a kind the API server does
 * not serve kubectl reports `no matches for kind "<Kind>" in version "<group/version>"`
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/:
 * a custom object can be created only once its CRD is established). A CRD in the same manifest
 * is not counted: kubectl maps every object of the file to a resource before it creates any, and
 * fails the run with 'ensure CRDs are installed first' (the CRD is created, the command fails).
 */
export const apiServed: Rule = {
  id: 'api-served',
  description:
    "every object's apiVersion/kind is served by the cluster's Kubernetes version or by a CRD / Helm release / add-on it depends on",
  check(assembly: Assembly, options: CheckOptions): Finding[] {
    const findings: Finding[] = [];
    const resources = kubectlResourcesOf(assembly);
    for (const r of resources) {
      for (const o of r.objects) {
        const message = problem(r, o, resources, options);
        if (message) {
          findings.push({
            rule: 'api-served',
            stack: r.stack.name,
            logicalId: r.logicalId,
            message,
          });
        }
      }
    }
    return findings;
  },
};

function problem(
  r: KubectlResource,
  o: KubeObject,
  all: readonly KubectlResource[],
  options: CheckOptions,
): string | undefined {
  const [group, version] = splitApiVersion(o.apiVersion);
  const k8s = r.cluster?.version;
  const what = `${describeObject(o)} (${o.apiVersion})`;
  if (isBuiltinGroup(group)) {
    const { status, minor } = builtinStatus(o.apiVersion, o.kind, k8s);
    if (status === 'served') return undefined;
    const on = `Kubernetes ${k8s ?? '(version unknown)'}`;
    if (status === 'removed') {
      return `${what} is not served by ${on}: ${o.apiVersion} ${o.kind} was removed in 1.${minor} (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). Fix: use the version the guide names`;
    }
    if (status === 'not-yet') {
      return `${what} is not served by ${on}: it is served from 1.${minor}. Fix: upgrade the cluster or use an older API version`;
    }
    return `${what} is not a built-in API this check knows for ${on}: kubectl would fail with 'no matches for kind'. Fix: use a served version (https://kubernetes.io/docs/reference/kubernetes-api/)`;
  }
  const before = dependencyClosure(r.stack, r.logicalId);
  const providers = providersOf(r.stack, all, options, r.cluster?.autoModeCompute ?? false);
  const serving = providers.filter((p) => p.serves(group, version, o.kind));
  if (serving.some((p) => p.logicalId === undefined || before.has(p.logicalId))) return undefined;
  if (serving.length > 0) {
    return `${what} is provided by ${serving.map((p) => p.logicalId).join(', ')}, but this resource does not depend on it: CloudFormation may apply it first and kubectl fails with 'no matches for kind "${o.kind}"'. Fix: resource.node.addDependency(<the CRD's resource>)`;
  }
  return `${what}: nothing this resource depends on installs its CRD (no CustomResourceDefinition, no Helm release of a chart known to provide ${group}, no EKS add-on${r.cluster?.autoModeCompute ? '' : ', not an Auto Mode kind'}): kubectl fails with 'no matches for kind "${o.kind}" in version "${o.apiVersion}"' and the stack rolls back. Fix: install the CRDs (e.g. a chart that ships them) in a resource this one depends on, or do not emit the object; if a chart of yours provides it, declare it in options.chartKinds`;
}

interface Provider {
  /** Resource that installs the kinds; undefined for the cluster itself (Auto Mode). */
  readonly logicalId?: string;
  serves(group: string, version: string, kind: string): boolean;
}

function providersOf(
  stack: StackTemplate,
  all: readonly KubectlResource[],
  options: CheckOptions,
  autoMode: boolean,
): Provider[] {
  const charts: Record<string, readonly ChartKinds[]> = {
    ...KNOWN_CHART_KINDS,
    ...options.chartKinds,
  };
  const addons = { ...KNOWN_ADDON_KINDS, ...options.addonKinds };
  const list: Provider[] = [];
  if (autoMode) list.push({ serves: (g, v, k) => provides(AUTO_MODE_KINDS, g, v, k) });
  for (const r of all.filter((x) => x.stack === stack)) {
    const crds = r.objects.filter((o) => o.kind === 'CustomResourceDefinition');
    if (crds.length > 0) {
      list.push({
        logicalId: r.logicalId,
        serves: (g, v, k) => crds.some((c) => crdServes(c, g, v, k)),
      });
    }
    const release = r.helm;
    if (release && !release.skipCrds) {
      const kinds = (charts[release.chart.split('/').pop() ?? ''] ?? []).filter(
        (c) => !c.whenValues || c.whenValues.test(release.values),
      );
      list.push({ logicalId: r.logicalId, serves: (g, v, k) => provides(kinds, g, v, k) });
    }
  }
  for (const [logicalId, addon] of resourcesOfType(stack, 'AWS::EKS::Addon')) {
    const kinds = addons[resolveText(addon.Properties?.AddonName, stack)] ?? [];
    list.push({ logicalId, serves: (g, v, k) => provides(kinds, g, v, k) });
  }
  return list;
}

function crdServes(crd: KubeObject, group: string, version: string, kind: string): boolean {
  const spec = crd.body.spec;
  const versions = (getPath(spec, 'versions') ?? []) as { name?: string; served?: boolean }[];
  return (
    getPath(spec, 'group') === group &&
    getPath(spec, 'names', 'kind') === kind &&
    versions.some((v) => v.name === version && v.served !== false)
  );
}
