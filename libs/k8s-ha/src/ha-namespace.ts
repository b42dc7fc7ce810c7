import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDnsLabel } from './private/validation.js';

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
    this.podSecurity = props.podSecurity ?? 'restricted';
    this.apiObject = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
          ...((props.albReadinessGates ?? true)
            ? { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' }
            : {}),
        },
      },
    });
  }
}
