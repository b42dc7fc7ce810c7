import type { ProvidedKinds } from './types.ts';

/**
 * What installs custom resource kinds, besides a `CustomResourceDefinition` in a manifest.
 * A Helm release or an EKS add-on counts as providing kinds only when it is listed here (or in
 * the caller's `chartKinds` / `addonKinds`): the check cannot render charts, so a chart it does
 * not know provides nothing. A chart whose CRDs depend on a value (cert-manager's `crds.enabled`)
 * lists it in `whenValues`; a release with `SkipCrds` provides nothing.
 */
export interface ChartKinds extends ProvidedKinds {
  /** The release provides these kinds only when its values JSON matches. @default always */
  readonly whenValues?: RegExp;
}

const prometheusOperator: ChartKinds[] = [
  {
    group: 'monitoring.coreos.com',
    versions: ['v1'],
    kinds: [
      'Alertmanager',
      'PodMonitor',
      'Probe',
      'Prometheus',
      'PrometheusRule',
      'ServiceMonitor',
      'ThanosRuler',
    ],
  },
  {
    group: 'monitoring.coreos.com',
    versions: ['v1alpha1'],
    kinds: ['AlertmanagerConfig', 'PrometheusAgent', 'ScrapeConfig'],
  },
];

/**
 * Charts (by chart name) and the kinds their CRDs serve.
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack (charts/crds)
 * @see https://github.com/aws/eks-charts/tree/master/stable/aws-load-balancer-controller (crds/crds.yaml)
 * @see https://cert-manager.io/docs/installation/helm/#crd-considerations (`crds.enabled`, default false)
 * @see https://karpenter.sh/docs/concepts/ (NodePool, NodeClaim, EC2NodeClass)
 */
export const KNOWN_CHART_KINDS: Readonly<Record<string, readonly ChartKinds[]>> = {
  'kube-prometheus-stack': prometheusOperator,
  'prometheus-operator-crds': prometheusOperator,
  'aws-load-balancer-controller': [
    {
      group: 'elbv2.k8s.aws',
      versions: ['v1beta1'],
      kinds: ['IngressClassParams', 'TargetGroupBinding'],
    },
  ],
  'cert-manager': [
    {
      group: 'cert-manager.io',
      versions: ['v1'],
      kinds: ['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer'],
      whenValues: /"(installCRDs|crds)":\s*(true|\{[^}]*"enabled":\s*true)/,
    },
    {
      group: 'acme.cert-manager.io',
      versions: ['v1'],
      kinds: ['Challenge', 'Order'],
      whenValues: /"(installCRDs|crds)":\s*(true|\{[^}]*"enabled":\s*true)/,
    },
  ],
  karpenter: [
    { group: 'karpenter.sh', versions: ['v1'], kinds: ['NodeClaim', 'NodePool'] },
    { group: 'karpenter.k8s.aws', versions: ['v1'], kinds: ['EC2NodeClass'] },
  ],
};

/**
 * EKS add-ons (by `AddonName`) and the kinds they install.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/csi-snapshot-controller.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html (PolicyEndpoint)
 */
export const KNOWN_ADDON_KINDS: Readonly<Record<string, readonly ProvidedKinds[]>> = {
  'snapshot-controller': [
    {
      group: 'snapshot.storage.k8s.io',
      versions: ['v1'],
      kinds: ['VolumeSnapshot', 'VolumeSnapshotClass', 'VolumeSnapshotContent'],
    },
  ],
  'vpc-cni': [
    { group: 'crd.k8s.amazonaws.com', versions: ['v1alpha1'], kinds: ['ENIConfig'] },
    { group: 'networking.k8s.aws', versions: ['v1alpha1'], kinds: ['PolicyEndpoint'] },
  ],
};

/**
 * Kinds an EKS Auto Mode cluster serves (compute enabled).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html (eks.amazonaws.com/v1 NodeClass)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-pool.html (karpenter.sh/v1 NodePool)
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html (eks.amazonaws.com/v1 IngressClassParams)
 */
export const AUTO_MODE_KINDS: readonly ProvidedKinds[] = [
  {
    group: 'eks.amazonaws.com',
    versions: ['v1'],
    kinds: ['IngressClassParams', 'NodeClass', 'TargetGroupBinding'],
  },
  { group: 'karpenter.sh', versions: ['v1'], kinds: ['NodeClaim', 'NodePool'] },
];

/** Whether a list of provided kinds serves `group/version` `kind`. */
export const provides = (
  list: readonly ProvidedKinds[],
  group: string,
  version: string,
  kind: string,
) =>
  list.some(
    (p) =>
      p.group === group && p.kinds.includes(kind) && (!p.versions || p.versions.includes(version)),
  );
