import { dependencyClosure } from '../cfn.ts';
import {
  describeObject,
  getPath,
  kubectlResourcesOf,
  type KubectlResource,
  type KubeObject,
} from '../eks.ts';
import type { Assembly, CheckOptions, Finding, Rule } from '../types.ts';

/**
 * apply-order: namespaced objects come after what creates their namespace; Ingresses and
 * Services of type LoadBalancer after the load balancing capability.
 * - Namespaces: an object in a namespace that does not exist is refused (`namespaces "x" not
 *   found`); only default, kube-node-lease, kube-public and kube-system exist from the start
 *   (https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces).
 *   kubectl creates a manifest's objects in file order, so a Namespace earlier in the same manifest
 *   counts; a Helm release creates its namespace only with `CreateNamespace`
 *   (kubectl-handler/helm/__init__.py: `--create-namespace` only when set).
 * - Load balancing: an Ingress is reconciled into an ALB by the AWS Load Balancer Controller
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/spec/),
 *   or by EKS Auto Mode when compute and `ElasticLoadBalancing` are enabled
 *   (https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html). Created before the
 *   controller, pods miss its readiness-gate webhook and Services of type LoadBalancer fall to the
 *   legacy in-tree provider (a Classic Load Balancer); deleted after it, the Ingress keeps its
 *   `ingress.k8s.aws/resources` finalizer and the stack deletion hangs
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/).
 */
export const applyOrder: Rule = {
  id: 'apply-order',
  description:
    'namespaced objects depend on what creates their namespace; Ingresses and LoadBalancer Services on the load balancing capability',
  check(assembly: Assembly, options: CheckOptions): Finding[] {
    const findings: Finding[] = [];
    const resources = kubectlResourcesOf(assembly);
    const lbCharts = options.loadBalancerCharts ?? DEFAULT_LOAD_BALANCER_CHARTS;
    for (const r of resources) {
      const before = dependencyClosure(r.stack, r.logicalId);
      const peers = resources.filter(
        (x) => x.stack === r.stack && x.clusterName === r.clusterName && x !== r,
      );
      const add = (message: string) =>
        findings.push({
          rule: 'apply-order',
          stack: r.stack.name,
          logicalId: r.logicalId,
          message,
        });
      const namespaces = new Map<string, string>();
      for (const o of r.objects) {
        const ns = namespaceOf(o, r.objects);
        if (ns && !namespaces.has(ns)) namespaces.set(ns, describeObject(o));
      }
      if (r.helm && !r.helm.createNamespace) namespaces.set(r.helm.namespace, `the Helm release`);
      for (const [ns, first] of namespaces) {
        if (INITIAL_NAMESPACES.includes(ns) || createdInManifest(r, ns, first)) continue;
        // helm --create-namespace creates the release namespace before any of the chart's objects
        if (r.helm?.createNamespace && r.helm.namespace === ns) continue;
        if (createsNamespace(r, ns)) {
          add(
            `${first} comes before the Namespace ${ns} in the same manifest: kubectl creates objects in order and fails with 'namespaces "${ns}" not found'. Fix: put the Namespace first`,
          );
          continue;
        }
        const creators = peers.filter((p) => createsNamespace(p, ns));
        if (creators.some((c) => before.has(c.logicalId))) continue;
        add(
          creators.length > 0
            ? `${first} is in namespace ${ns}, which ${creators.map((c) => c.logicalId).join(', ')} creates, but this resource does not depend on it: CloudFormation may apply it first and it fails with 'namespaces "${ns}" not found'. Fix: resource.node.addDependency(<the namespace's resource>)`
            : `${first} is in namespace ${ns}, which nothing in this deploy creates: it fails with 'namespaces "${ns}" not found'. Fix: add the Namespace first in the same manifest, or in a resource this one depends on (a Helm release with createNamespace)`,
        );
      }
      const balanced = r.objects.filter(needsLoadBalancer);
      if (
        balanced.length === 0 ||
        (r.cluster?.autoModeCompute && r.cluster.autoModeLoadBalancing)
      ) {
        continue;
      }
      const controllers = peers.filter((p) =>
        lbCharts.includes(p.helm?.chart.split('/').pop() ?? ''),
      );
      if (controllers.some((c) => before.has(c.logicalId))) continue;
      const what = balanced.map(describeObject).join(', ');
      add(
        controllers.length > 0
          ? `${what} needs the load balancer controller ${controllers.map((c) => c.logicalId).join(', ')}, but this resource does not depend on it: created first, its pods miss the readiness-gate webhook; deleted last, the controller is gone and the finalizer blocks deletion. Fix: resource.node.addDependency(<the controller's Helm release>)`
          : `${what} needs a load balancer controller, and the cluster has none: no ${lbCharts.join(' / ')} Helm release this resource depends on, and EKS Auto Mode load balancing (ComputeConfig.Enabled with KubernetesNetworkConfig.ElasticLoadBalancing.Enabled) is off: no load balancer is created and the service is unreachable. Fix: install the controller first (cluster.addHelmChart / albController) or enable Auto Mode`,
      );
    }
    return findings;
  },
};

/** Charts that provide Ingress and Service load balancing. */
export const DEFAULT_LOAD_BALANCER_CHARTS: readonly string[] = ['aws-load-balancer-controller'];

/** Namespaces every cluster starts with. */
export const INITIAL_NAMESPACES: readonly string[] = [
  'default',
  'kube-node-lease',
  'kube-public',
  'kube-system',
];

/** Kinds that live outside namespaces (built-in, and the common custom ones). */
const CLUSTER_SCOPED = new Set(
  (
    'APIService CertificateSigningRequest ClusterRole ClusterRoleBinding CSIDriver CSINode ' +
    'CustomResourceDefinition DeviceClass FlowSchema IngressClass IPAddress ' +
    'MutatingWebhookConfiguration Namespace Node PersistentVolume PriorityClass ' +
    'PriorityLevelConfiguration ResourceSlice RuntimeClass ServiceCIDR StorageClass ' +
    'ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding ValidatingWebhookConfiguration ' +
    'VolumeAttachment VolumeAttributesClass ClusterIssuer ClusterSecretStore EC2NodeClass ' +
    'IngressClassParams NodeClass NodeClaim NodePool'
  ).split(' '),
);

function namespaceOf(o: KubeObject, siblings: readonly KubeObject[]): string | undefined {
  if (CLUSTER_SCOPED.has(o.kind)) return undefined;
  const crd = siblings.find(
    (c) =>
      c.kind === 'CustomResourceDefinition' && getPath(c.body, 'spec', 'names', 'kind') === o.kind,
  );
  if (crd && getPath(crd.body, 'spec', 'scope') === 'Cluster') return undefined;
  return o.namespace ?? 'default';
}

function createdInManifest(r: KubectlResource, ns: string, firstUser: string): boolean {
  const index = r.objects.findIndex((o) => o.kind === 'Namespace' && o.name === ns);
  const user = r.objects.findIndex((o) => describeObject(o) === firstUser);
  return index >= 0 && index < user;
}

const createsNamespace = (r: KubectlResource, ns: string) =>
  r.objects.some((o) => o.kind === 'Namespace' && o.name === ns) ||
  (r.helm !== undefined && r.helm.createNamespace && r.helm.namespace === ns);

const needsLoadBalancer = (o: KubeObject) =>
  (o.kind === 'Ingress' && o.apiVersion.startsWith('networking.k8s.io/')) ||
  (o.kind === 'Service' && getPath(o.body, 'spec', 'type') === 'LoadBalancer');
