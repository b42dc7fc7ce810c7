/** HTTP paths of the three probes of a workload that serves HTTP. */
export interface ProbePaths {
  /** @default '/ready' */
  readonly readiness?: string;
  /** @default '/alive' */
  readonly liveness?: string;
  /** @default the liveness path */
  readonly startup?: string;
  /**
   * The container port the kubelet probes. `'metrics'` when the app also answers its probes on
   * its metrics port (the stayup API does, through @stayup/nest-lifecycle's `answerProbe`): there
   * they never wait behind traffic, so a replica under overload is neither taken out of its
   * Service nor restarted for being busy. The ALB's health check stays on the traffic port.
   * @default 'http'
   */
  readonly port?: 'http' | 'metrics';
}

/**
 * Probes of a workload without HTTP (a queue worker): a command the kubelet runs in the
 * container, as the startup and liveness probes. It succeeds by exiting 0 and must answer within
 * the probe timeout (2 s), e.g. `['node', 'dist/healthcheck.js']` checking a heartbeat file the
 * worker's loop touches. No readiness probe: nothing routes traffic to a worker, and a rollout
 * counts a pod available once its startup probe passed.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-command
 */
export interface ExecProbes {
  /** The command, as an argv array (no shell unless you name one). */
  readonly exec: readonly string[];
}

/**
 * No probes, knowingly: the reason is written on the pods as the annotation
 * `k8s-ha.stayup.dev/no-probes` so a reviewer (and a policy exception) can read it. Without
 * probes, a worker that hangs is never restarted.
 */
export interface NoProbes {
  /** Why this workload has no probes, e.g. 'batch consumer: a hung pod is caught by the queue-age alert'. */
  readonly none: string;
}

/** The probes of a workload: over HTTP, by command, or none with a reason. */
export type WorkloadProbes = ProbePaths | ExecProbes | NoProbes;

/** The annotation that carries the reason of {@link NoProbes}. */
export const NO_PROBES_ANNOTATION = 'k8s-ha.stayup.dev/no-probes';
