import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { HaDeployment } from './ha-deployment.js';
import { requireHttp } from './private/validation.js';

/**
 * Service port: plain HTTP's port, so in-cluster callers use `http://<name>.<namespace>` without
 * one; the Service forwards to the container's named `http` port.
 */
export const DEFAULT_SERVICE_PORT = 80;

/** Options of {@link HaService}. */
export interface HaServiceProps {
  /** The Deployment whose pods the Service selects. */
  readonly deployment: HaDeployment;
  /** Service port. @default 80 */
  readonly port?: number;
}

/**
 * A ClusterIP Service in front of an {@link HaDeployment}: never a NodePort (the ALB targets pod
 * IPs directly), targeting the container port by name so the two cannot drift.
 */
export class HaService extends Construct {
  /** The Service. */
  readonly apiObject: k8s.KubeService;
  /** Its name (the Deployment's). */
  readonly name: string;
  /** The Service port. */
  readonly port: number;
  /** Labels (the Deployment's). */
  readonly labels: Record<string, string>;
  /** Namespace (the Deployment's). */
  readonly namespace?: string;

  constructor(scope: Construct, id: string, props: HaServiceProps) {
    super(scope, id);
    const deployment = props.deployment;
    requireHttp('a Service', deployment);
    this.name = deployment.name;
    this.port = props.port ?? DEFAULT_SERVICE_PORT;
    this.labels = deployment.labels;
    this.namespace = deployment.namespace;
    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: deployment.namespace,
        labels: deployment.labels,
      },
      spec: {
        type: 'ClusterIP',
        selector: deployment.selector,
        ports: [
          {
            name: 'http',
            port: this.port,
            targetPort: k8s.IntOrString.fromString('http'),
            protocol: 'TCP',
          },
        ],
      },
    });
  }
}
