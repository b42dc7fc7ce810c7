import type { Construct } from 'constructs';
import type { HaDeployment, HaDeploymentProps } from '../ha-deployment.js';
import { DEFAULT_REPLICAS } from '../ha-deployment-defaults.js';
import {
  HaHorizontalPodAutoscaler,
  type HaHorizontalPodAutoscalerProps,
} from '../ha-horizontal-pod-autoscaler.js';
import { DEFAULT_CREATE_NAMESPACE, HaNamespace } from '../ha-namespace.js';
import { HaPodDisruptionBudget } from '../ha-pod-disruption-budget.js';
import { DEFAULT_PRIORITY_CLASS_NAME, HaPriorityClass } from '../ha-priority-class.js';
import type { HaPodProps } from '../highly-available-service.js';

/** What a highly available workload (service or worker) decides before its Deployment. */
export interface WorkloadScopeProps {
  readonly name: string;
  readonly namespace?: string;
  readonly createNamespace?: boolean;
  readonly priorityClass?: { readonly name?: string; readonly value?: number } | string | false;
  readonly scaling?: Omit<HaHorizontalPodAutoscalerProps, 'deployment'> | false;
  readonly replicas?: number;
}

export interface WorkloadScope {
  readonly namespaceName: string;
  readonly namespace?: HaNamespace;
  /** The PriorityClass this workload created, if any. */
  readonly priorityClass?: HaPriorityClass;
  /** The PriorityClass of the pods, created here or elsewhere in the app, or only named. */
  readonly priorityClassName?: string;
  /** The construct the Deployment must come after for its priority class, if in this app. */
  readonly priorityClassConstruct?: HaPriorityClass;
  /** The fixed replica count with `scaling: false`, else undefined. */
  readonly fixedReplicas?: number;
}

/**
 * The namespace, the priority class and the replica decision. The default priority class is
 * shared: the first workload of the app creates `DEFAULT_PRIORITY_CLASS_NAME`, the others use it
 * (one value per cluster keeps priorities meaningful; one class per service at the same value
 * would not). `priorityClass: '<name>'` only names an existing class: a team without
 * cluster-admin creates no cluster-scoped object with `createNamespace: false` and it.
 */
export function workloadScope(scope: Construct, props: WorkloadScopeProps): WorkloadScope {
  const namespaceName = props.namespace ?? props.name;
  const namespace =
    (props.createNamespace ?? DEFAULT_CREATE_NAMESPACE)
      ? new HaNamespace(scope, 'Namespace', { name: namespaceName })
      : undefined;

  let priorityClass: HaPriorityClass | undefined;
  let priorityClassConstruct: HaPriorityClass | undefined;
  let priorityClassName: string | undefined;
  if (typeof props.priorityClass === 'string') {
    priorityClassName = props.priorityClass;
  } else if (props.priorityClass === undefined) {
    priorityClassConstruct = scope.node.root.node
      .findAll()
      .find(
        (c): c is HaPriorityClass =>
          c instanceof HaPriorityClass && c.name === DEFAULT_PRIORITY_CLASS_NAME,
      );
    if (!priorityClassConstruct) {
      priorityClass = new HaPriorityClass(scope, 'PriorityClass', {
        name: DEFAULT_PRIORITY_CLASS_NAME,
      });
      priorityClassConstruct = priorityClass;
    }
    priorityClassName = DEFAULT_PRIORITY_CLASS_NAME;
  } else if (props.priorityClass !== false) {
    priorityClass = new HaPriorityClass(scope, 'PriorityClass', {
      name: props.priorityClass.name ?? DEFAULT_PRIORITY_CLASS_NAME,
      value: props.priorityClass.value,
    });
    priorityClassConstruct = priorityClass;
    priorityClassName = priorityClass.name;
  }

  let fixedReplicas: number | undefined;
  if (props.scaling === false) {
    fixedReplicas = props.replicas ?? DEFAULT_REPLICAS;
    if (fixedReplicas < 2) {
      throw new Error(
        `'replicas' (${fixedReplicas}) must be at least 2: one replica means an outage at ` +
          `every node drain or crash; use 2 or more`,
      );
    }
  } else if (props.replicas !== undefined) {
    throw new Error(
      `'replicas' (${props.replicas}) must be unset while 'scaling' is on: the autoscaler owns ` +
        `the count; set scaling.minReplicas, or scaling: false for a fixed count`,
    );
  }
  return {
    namespaceName,
    namespace,
    priorityClass,
    priorityClassName,
    priorityClassConstruct,
    fixedReplicas,
  };
}

/**
 * After the Deployment: apply order (namespace and priority class first), the autoscaler unless
 * `scaling: false`, and the disruption budget sized from the smallest replica count.
 */
export function scaleAndProtect(
  scope: Construct,
  deployment: HaDeployment,
  workload: WorkloadScope,
  props: Pick<WorkloadScopeProps, 'scaling'> & { readonly maxUnavailable?: number },
): {
  autoscaler?: HaHorizontalPodAutoscaler;
  disruptionBudget: HaPodDisruptionBudget;
  minReplicas: number;
} {
  // kubectl apply order: the namespace and the priority class exist before the pods need them
  if (workload.namespace) deployment.node.addDependency(workload.namespace);
  if (workload.priorityClassConstruct) {
    deployment.node.addDependency(workload.priorityClassConstruct);
  }
  const autoscaler =
    props.scaling === false
      ? undefined
      : new HaHorizontalPodAutoscaler(scope, 'Autoscaler', { deployment, ...props.scaling });
  const minReplicas = autoscaler?.minReplicas ?? workload.fixedReplicas ?? DEFAULT_REPLICAS;
  const disruptionBudget = new HaPodDisruptionBudget(scope, 'DisruptionBudget', {
    deployment,
    minReplicas,
    maxUnavailable: props.maxUnavailable,
  });
  return { autoscaler, disruptionBudget, minReplicas };
}

/**
 * The pod props a workload passes to its Deployment unchanged (same meaning, same defaults): the
 * public {@link HaPodProps} less what each workload decides itself (ports, probes, drain).
 */
type SharedPodProps = Omit<
  HaPodProps,
  'port' | 'metricsPort' | 'probes' | 'drain' | 'minReadySeconds'
>;

/** The Deployment props every HA workload derives the same way from its own. */
export function deploymentBase(
  props: SharedPodProps & { readonly name: string; readonly scaling?: unknown },
  workload: WorkloadScope,
): SharedPodProps &
  Pick<HaDeploymentProps, 'name' | 'namespace' | 'priorityClassName' | 'autoscaled' | 'replicas'> {
  return {
    name: props.name,
    namespace: workload.namespaceName,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    immutableTags: props.immutableTags,
    env: props.env,
    resources: props.resources,
    spread: props.spread,
    maxSurge: props.maxSurge,
    component: props.component,
    partOf: props.partOf,
    version: props.version,
    labels: props.labels,
    priorityClassName: workload.priorityClassName,
    autoscaled: props.scaling !== false,
    replicas: workload.fixedReplicas,
  };
}
