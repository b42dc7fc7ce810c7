import { getPath, kubectlResourcesOf, type KubeObject } from '../eks.ts';
import type { Assembly, Finding, Rule } from '../types.ts';

/** The namespace label that makes the AWS Load Balancer Controller inject readiness gates. */
export const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';
/** Controller names of the IngressClasses (spec.controller). */
const LBC_CONTROLLER = 'ingress.k8s.aws/alb';
const AUTO_MODE_CONTROLLER = 'eks.amazonaws.com/alb';
/**
 * Health check defaults of the AWS Load Balancer Controller when the Ingress sets none
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#health-check):
 * every 15 s, 2 successes.
 */
const DEFAULT_INTERVAL_SECONDS = 15;
const DEFAULT_HEALTHY_THRESHOLD = 2;
/** Seconds allowed for registering a new target behind Auto Mode (as @stayup/k8s-ha assumes). */
export const REGISTRATION_ALLOWANCE_SECONDS = 10;
const A = 'alb.ingress.kubernetes.io';

/**
 * rollout-gates: a rolling update never stops an old pod before the ALB serves its replacement.
 * A Deployment counts a new pod available once it has been Ready for `minReadySeconds`, and with
 * `maxUnavailable: 0` only then stops an old one
 * (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#min-ready-seconds).
 * - Behind the AWS Load Balancer Controller (IngressClass controller `ingress.k8s.aws/alb`, or
 *   class `alb` with its Helm release in the deploy), "Ready" waits for the ALB only with pod
 *   readiness gates, which the controller injects in namespaces labelled
 *   `elbv2.k8s.aws/pod-readiness-gate-inject: enabled`
 *   (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/).
 *   Fires when the namespace is created in the deploy without the label.
 * - Behind EKS Auto Mode's load balancing (IngressClass controller `eks.amazonaws.com/alb`), there
 *   are no readiness gates (https://github.com/aws/containers-roadmap/issues/2511): fires when
 *   `minReadySeconds` is below the health checks that make a target healthy (healthy threshold ×
 *   interval, from the Ingress's annotations or the defaults) plus the registration allowance.
 * - Either way, fires on a Deployment behind the Ingress whose `maxUnavailable` is not 0.
 */
export const rolloutGates: Rule = {
  id: 'rollout-gates',
  description:
    'a rolling update waits for the ALB: readiness gates behind the AWS Load Balancer Controller, minReadySeconds behind EKS Auto Mode, maxUnavailable 0',
  check(assembly: Assembly): Finding[] {
    const findings: Finding[] = [];
    const resources = kubectlResourcesOf(assembly);
    for (const r of resources) {
      const peers = resources.filter((x) => x.stack === r.stack && x.clusterName === r.clusterName);
      const all = peers.flatMap((x) => x.objects);
      const lbcInstalled = peers.some(
        (x) => x.helm?.chart.split('/').pop() === 'aws-load-balancer-controller',
      );
      const add = (message: string) =>
        findings.push({
          rule: 'rollout-gates',
          stack: r.stack.name,
          logicalId: r.logicalId,
          message,
        });
      for (const ingress of r.objects.filter((o) => o.kind === 'Ingress')) {
        const controller = controllerOf(ingress, all, lbcInstalled);
        if (!controller) continue;
        for (const deployment of deploymentsBehind(ingress, all)) {
          const spec = getPath(deployment.body, 'spec') as Record<string, unknown>;
          const name = `Deployment ${deployment.namespace}/${deployment.name}`;
          const maxUnavailable = getPath(spec, 'strategy', 'rollingUpdate', 'maxUnavailable');
          if (maxUnavailable !== 0 && maxUnavailable !== '0%' && maxUnavailable !== '0') {
            add(
              `${name} behind Ingress ${ingress.namespace}/${ingress.name} has maxUnavailable ${JSON.stringify(maxUnavailable ?? '25%')}: a rollout stops old pods before their replacements serve. Fix: strategy.rollingUpdate.maxUnavailable: 0 with a maxSurge of 1 or more`,
            );
          }
          if (controller === 'lbc') {
            const ns = all.find((o) => o.kind === 'Namespace' && o.name === deployment.namespace);
            const label = ns && getPath(ns.body, 'metadata', 'labels', READINESS_GATE_LABEL);
            if (ns && label !== 'enabled') {
              add(
                `Namespace ${deployment.namespace} lacks the label ${READINESS_GATE_LABEL}: enabled, so the AWS Load Balancer Controller injects no readiness gates into ${name}: a rollout can stop an old pod before the ALB serves the new one. Fix: label the namespace`,
              );
            }
          } else {
            const needed = neededSeconds(ingress);
            const minReady = Number(getPath(spec, 'minReadySeconds') ?? 0);
            if (minReady < needed) {
              add(
                `${name} has minReadySeconds ${minReady} behind EKS Auto Mode's load balancing, which has no readiness gates: the ALB needs ${needed} s (health checks + ${REGISTRATION_ALLOWANCE_SECONDS} s to register) before a new pod serves, so the rollout may stop an old one first. Fix: minReadySeconds: ${needed}, or the AWS Load Balancer Controller with readiness gates`,
              );
            }
          }
        }
      }
    }
    return findings;
  },
};

function controllerOf(
  ingress: KubeObject,
  all: readonly KubeObject[],
  lbcInstalled: boolean,
): 'lbc' | 'auto-mode' | undefined {
  const className =
    (getPath(ingress.body, 'spec', 'ingressClassName') as string | undefined) ??
    (getPath(ingress.body, 'metadata', 'annotations', 'kubernetes.io/ingress.class') as
      string | undefined);
  const ingressClass = all.find((o) => o.kind === 'IngressClass' && o.name === className);
  const controller = ingressClass && getPath(ingressClass.body, 'spec', 'controller');
  if (controller === AUTO_MODE_CONTROLLER) return 'auto-mode';
  if (controller === LBC_CONTROLLER) return 'lbc';
  return className === 'alb' && lbcInstalled ? 'lbc' : undefined;
}

/** The Deployments whose pods the Ingress's backend Services select. */
function deploymentsBehind(ingress: KubeObject, all: readonly KubeObject[]): KubeObject[] {
  const rules = (getPath(ingress.body, 'spec', 'rules') as unknown[] | undefined) ?? [];
  const names = new Set(
    rules.flatMap((rule) =>
      ((getPath(rule, 'http', 'paths') as unknown[] | undefined) ?? []).map((p) =>
        getPath(p, 'backend', 'service', 'name'),
      ),
    ),
  );
  const services = all.filter(
    (o) => o.kind === 'Service' && o.namespace === ingress.namespace && names.has(o.name),
  );
  return all.filter((d) => {
    if (d.kind !== 'Deployment' || d.namespace !== ingress.namespace) return false;
    const labels =
      (getPath(d.body, 'spec', 'template', 'metadata', 'labels') as Record<string, string>) ?? {};
    return services.some((s) => {
      const selector = (getPath(s.body, 'spec', 'selector') as Record<string, string>) ?? {};
      return (
        Object.keys(selector).length > 0 &&
        Object.entries(selector).every(([k, v]) => labels[k] === v)
      );
    });
  });
}

function neededSeconds(ingress: KubeObject): number {
  const annotation = (key: string, fallback: number) =>
    Number(getPath(ingress.body, 'metadata', 'annotations', `${A}/${key}`) ?? fallback);
  return (
    annotation('healthy-threshold-count', DEFAULT_HEALTHY_THRESHOLD) *
      annotation('healthcheck-interval-seconds', DEFAULT_INTERVAL_SECONDS) +
    REGISTRATION_ALLOWANCE_SECONDS
  );
}
