import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaDeployment } from './ha-deployment.js';
import { checkDnsLabel, checkInteger } from './private/validation.js';

/**
 * Where the load balancer's traffic comes from. With target type `ip` the ALB connects from its
 * own addresses in the VPC's subnets: narrow this to the VPC CIDR.
 */
export const DEFAULT_LOAD_BALANCER_CIDRS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
/** Namespace of the Prometheus that scrapes the metrics port. */
export const DEFAULT_MONITORING_NAMESPACE = 'monitoring';
/**
 * Where cluster DNS runs: CoreDNS pods labelled `k8s-app: kube-dns` in `kube-system` (the label
 * kubeadm, EKS and kind all keep for compatibility), on port 53 over UDP and TCP.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
 */
export const CLUSTER_DNS = {
  namespace: 'kube-system',
  podLabels: { 'k8s-app': 'kube-dns' },
  port: 53,
} as const;

/**
 * An egress destination besides cluster DNS, one of: a CIDR (a database subnet, a VPC endpoint's
 * subnet), or the pods of a namespace (another service in the cluster). Egress is deny-by-default:
 * a pod reaches nothing its policy does not name.
 */
export type EgressRule =
  | {
      /** Destination CIDR, e.g. an RDS subnet. */
      readonly cidr: string;
      /** TCP port. */
      readonly port: number;
    }
  | {
      /** Destination namespace (its pods, or those matching `podLabels`), by name. */
      readonly namespace: string;
      /** Only the pods with these labels. @default every pod of the namespace */
      readonly podLabels?: Readonly<Record<string, string>>;
      /** TCP port. */
      readonly port: number;
    };

/** Options of {@link HaNetworkPolicy}. */
export interface HaNetworkPolicyProps {
  /** The Deployment whose pods the policy isolates. */
  readonly deployment: HaDeployment;
  /**
   * CIDRs allowed to reach the HTTP port (the load balancer's subnets).
   * @default private ranges 10/8, 172.16/12, 192.168/16
   */
  readonly loadBalancerCidrs?: readonly string[];
  /**
   * Namespaces (by name) allowed to reach the HTTP port, e.g. an in-cluster ingress controller.
   * @default []
   */
  readonly ingressNamespaces?: readonly string[];
  /**
   * Namespace allowed to scrape the metrics port.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Egress allowed besides DNS: CIDRs (a database subnet) and namespaces (another service), each
   * with its TCP port. A pod that talks to a database needs it here.
   * @default [] (DNS only)
   */
  readonly egress?: readonly EgressRule[];
}

/**
 * Default-deny for the pods, then: ingress to the HTTP port from the load balancer's network,
 * ingress to the metrics port from the monitoring namespace, egress to cluster DNS, and whatever
 * egress is declared. (On EKS, enforcement needs the VPC CNI's network policy agent, which
 * @stayup/eks-platform turns on.)
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class HaNetworkPolicy extends Construct {
  /** The NetworkPolicy. */
  readonly apiObject: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: HaNetworkPolicyProps) {
    super(scope, id);
    const deployment = props.deployment;
    const cidrs = props.loadBalancerCidrs ?? DEFAULT_LOAD_BALANCER_CIDRS;
    for (const [i, cidr] of cidrs.entries())
      checkCidr(`networkPolicy.loadBalancerCidrs[${i}]`, cidr);
    const namespaces = props.ingressNamespaces ?? [];
    if (deployment.port === undefined) {
      // a worker: no ingress at all, unless it has a metrics port
      if (props.loadBalancerCidrs !== undefined || namespaces.length > 0) {
        throw new Error(
          `'networkPolicy.${props.loadBalancerCidrs !== undefined ? 'loadBalancerCidrs' : 'ingressNamespaces'}' ` +
            `must be unset for '${deployment.name}', which has no HTTP port (port: false): nothing ` +
            `may connect to it; remove the prop`,
        );
      }
    } else if (cidrs.length === 0 && namespaces.length === 0) {
      // Kubernetes reads a rule with an empty 'from' as "from every source"
      // (https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors)
      throw new Error(
        `'networkPolicy.loadBalancerCidrs' ([]) must name at least one source when ` +
          `'networkPolicy.ingressNamespaces' is empty too: a NetworkPolicy rule with no sources ` +
          `admits every source; give the VPC CIDR (e.g. ['10.0.0.0/16']), or networkPolicy: false ` +
          `to go without a policy knowingly`,
      );
    }
    const egress = props.egress ?? [];
    for (const [i, rule] of egress.entries()) {
      if ('cidr' in rule) checkCidr(`networkPolicy.egress[${i}].cidr`, rule.cidr);
      else checkDnsLabel(`networkPolicy.egress[${i}].namespace`, rule.namespace);
      checkInteger(`networkPolicy.egress[${i}].port`, rule.port, 1, 65_535, 'e.g. 5432');
    }
    const byName = (name: string): k8s.NetworkPolicyPeer => ({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
    });
    const tcp = (port: number | string): k8s.NetworkPolicyPort => ({
      protocol: 'TCP',
      port:
        typeof port === 'number'
          ? k8s.IntOrString.fromNumber(port)
          : k8s.IntOrString.fromString(port),
    });
    const ingress: k8s.NetworkPolicyIngressRule[] = [];
    if (deployment.port !== undefined) {
      ingress.push({
        from: [...cidrs.map((cidr) => ({ ipBlock: { cidr } })), ...namespaces.map(byName)],
        ports: [tcp(deployment.port)],
      });
    }
    if (deployment.metricsPort) {
      ingress.push({
        from: [byName(props.monitoringNamespace ?? DEFAULT_MONITORING_NAMESPACE)],
        ports: [tcp(deployment.metricsPort)],
      });
    }
    this.apiObject = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: {
        name: deployment.name,
        namespace: deployment.namespace,
        labels: deployment.labels,
      },
      spec: {
        podSelector: { matchLabels: deployment.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': CLUSTER_DNS.namespace },
                },
                podSelector: { matchLabels: { ...CLUSTER_DNS.podLabels } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: k8s.IntOrString.fromNumber(CLUSTER_DNS.port) },
              { protocol: 'TCP', port: k8s.IntOrString.fromNumber(CLUSTER_DNS.port) },
            ],
          },
          ...egress.map((rule) => ({
            to: [
              'cidr' in rule
                ? { ipBlock: { cidr: rule.cidr } }
                : {
                    ...byName(rule.namespace),
                    ...(rule.podLabels
                      ? { podSelector: { matchLabels: { ...rule.podLabels } } }
                      : {}),
                  },
            ],
            ports: [tcp(rule.port)],
          })),
        ],
      },
    });
  }
}

function checkCidr(path: string, cidr: string): void {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const ok = match && match.slice(1, 5).every((o) => Number(o) <= 255) && Number(match[5]) <= 32;
  if (!ok) {
    throw new Error(`'${path}' (${cidr}) must be an IPv4 CIDR: e.g. '10.0.0.0/16' for the VPC`);
  }
}
