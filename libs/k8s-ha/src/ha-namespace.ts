import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { refuseDuplicate } from './private/cluster-scoped.js';
import { checkDnsLabel } from './private/validation.js';

/** Pod Security Standard enforced: the restricted profile, which the stayup pods meet. */
export const DEFAULT_POD_SECURITY = 'restricted';
/** Whether the AWS Load Balancer Controller injects pod readiness gates into the namespace. */
export const DEFAULT_ALB_READINESS_GATES = true;

/** Whether a workload creates its namespace: yes, with restricted Pod Security and ALB gates. */
export const DEFAULT_CREATE_NAMESPACE = true;

/** Options of {@link HaNamespace}. */
export interface HaNamespaceProps {
  /** Namespace name; a DNS-1123 label. */
  readonly name: string;
  /**
   * Pod Security Standard enforced by Pod Security Admission. `baseline` is an explicit opt-out
   * for workloads that cannot run restricted.
   * @default 'restricted'
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity?: 'restricted' | 'baseline';
  /**
   * Label the namespace so that the AWS Load Balancer Controller injects pod readiness gates:
   * a rollout then waits until the ALB sees each new pod healthy.
   * @default true
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
   */
  readonly albReadinessGates?: boolean;
}

/** A Namespace that enforces the restricted Pod Security Standard and ALB pod readiness gates. */
export class HaNamespace extends Construct {
  /** The Namespace. */
  readonly apiObject: k8s.KubeNamespace;
  /** Its name. */
  readonly name: string;
  /** The enforced Pod Security Standard. */
  readonly podSecurity: 'restricted' | 'baseline';

  constructor(scope: Construct, id: string, props: HaNamespaceProps) {
    super(scope, id);
    checkDnsLabel('name', props.name);
    this.name = props.name;
    refuseDuplicate(
      this,
      'Namespace',
      this.name,
      (c) => c instanceof HaNamespace && c.name === this.name,
      `set createNamespace: false on every service in that namespace but one (or create it once with HaNamespace)`,
    );
    this.podSecurity = props.podSecurity ?? DEFAULT_POD_SECURITY;
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          ...((props.albReadinessGates ?? DEFAULT_ALB_READINESS_GATES)
            ? { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' }
            : {}),
        },
      },
    });
  }
}
