import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { refuseDuplicate } from './private/cluster-scoped.js';
import { checkDnsLabel, checkInteger } from './private/validation.js';

/**
 * Default priority: above the default (0) of ordinary workloads, far below the
 * `system-cluster-critical` (2,000,000,000) of the cluster's own components.
 */
export const DEFAULT_PRIORITY_VALUE = 100_000;

/**
 * Name of the PriorityClass the HA workloads share by default: created once per app, by the
 * first workload that needs it. One class at one value per cluster keeps priorities meaningful.
 */
export const DEFAULT_PRIORITY_CLASS_NAME = 'highly-available';

/** Highest value accepted: values above one billion are reserved for system-critical pods. */
export const MAX_PRIORITY_VALUE = 1_000_000_000;
/** Description written on the PriorityClass when none is given. */
export const DEFAULT_PRIORITY_DESCRIPTION =
  'Priority of an HA service: scheduled before, and evicted after, best-effort work.';

/** Options of {@link HaPriorityClass}. */
export interface HaPriorityClassProps {
  /** Name of the (cluster-scoped) PriorityClass. */
  readonly name: string;
  /** @default 100000 */
  readonly value?: number;
  /** @default 'Priority of an HA service: scheduled before, and evicted after, best-effort work.' */
  readonly description?: string;
}

/**
 * A PriorityClass, so that HA pods are scheduled first when the cluster is full and preempt
 * lower-priority pods rather than stay Pending. Never the global default.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
 */
export class HaPriorityClass extends Construct {
  /** The PriorityClass. */
  readonly apiObject: k8s.KubePriorityClass;
  /** Its name. */
  readonly name: string;
  /** Its value. */
  readonly value: number;

  constructor(scope: Construct, id: string, props: HaPriorityClassProps) {
    super(scope, id);
    checkDnsLabel('priorityClass.name', props.name, 253);
    this.name = props.name;
    refuseDuplicate(
      this,
      'PriorityClass',
      this.name,
      (c) => c instanceof HaPriorityClass && c.name === this.name,
      `create it once and pass its name to the other services (priorityClass: '${this.name}')`,
    );
    this.value = props.value ?? DEFAULT_PRIORITY_VALUE;
    checkInteger(
      'priorityClass.value',
      this.value,
      1,
      MAX_PRIORITY_VALUE,
      'values above 1e9 are reserved for system-critical pods',
    );
    this.apiObject = new k8s.KubePriorityClass(this, 'Resource', {
      metadata: { name: this.name },
      value: this.value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: props.description ?? DEFAULT_PRIORITY_DESCRIPTION,
    });
  }
}
