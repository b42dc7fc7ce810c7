import {
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  MAX_SHUTDOWN_MS,
  ServiceEnv,
} from '@stayup/contract';
import { Duration } from 'cdk8s';

/** Options of {@link DrainTiming}. */
export interface DrainTimingProps {
  /**
   * Time the app keeps serving after SIGTERM with readiness down, while the load balancer
   * deregisters the pod. Passed to the container as `SHUTDOWN_DELAY_MS`.
   * @default Duration.seconds(5) — lightship's default; behind an ALB at least ALB_MIN_DRAIN_DELAY
   * (10 s, refused below by AlbIngress), and HighlyAvailableService then defaults to 15 s
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   */
  readonly delay?: Duration;
  /**
   * Time then allowed for in-flight requests. Passed as `SHUTDOWN_TIMEOUT_MS`.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * The pod's `terminationGracePeriodSeconds`: when it passes, the kubelet sends SIGKILL.
   * @default delay + timeout + 5 s, rounded up to whole seconds
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination-forced
   */
  readonly gracePeriod?: Duration;
}

/** Default `delay`: lightship's 5 s, the app's own default (`@stayup/contract`). */
export const DEFAULT_DRAIN_DELAY = Duration.millis(DEFAULT_SHUTDOWN_DELAY_MS);
/** Default `timeout`: 10 s for in-flight requests, the app's own default (`@stayup/contract`). */
export const DEFAULT_DRAIN_TIMEOUT = Duration.millis(DEFAULT_SHUTDOWN_TIMEOUT_MS);
/** Margin added to delay + timeout for the app's own shutdown hooks and exit. */
export const DRAIN_GRACE_MARGIN = Duration.seconds(5);
/** Smallest margin accepted for an explicit grace period. */
export const MIN_DRAIN_GRACE_MARGIN = Duration.seconds(2);
/** Longest `delay` and `timeout`: what the app accepts (`@stayup/contract`'s MAX_SHUTDOWN_MS). */
export const MAX_DRAIN = Duration.millis(MAX_SHUTDOWN_MS);
/** Shortest `timeout`: a second, the least an HTTP request can be given to finish. */
export const MIN_DRAIN_TIMEOUT = Duration.seconds(1);

/**
 * The drain timings of a pod, kept consistent in one place: what the app is told
 * (`SHUTDOWN_DELAY_MS`, `SHUTDOWN_TIMEOUT_MS`), the pod's grace period, and the load balancer's
 * deregistration delay all derive from it.
 */
export class DrainTiming {
  /** Time served after SIGTERM with readiness down. */
  readonly delay: Duration;
  /** Time then allowed for in-flight requests. */
  readonly timeout: Duration;
  /** `terminationGracePeriodSeconds`. */
  readonly gracePeriod: Duration;

  constructor(props: DrainTimingProps = {}, path = 'drain') {
    this.delay = props.delay ?? DEFAULT_DRAIN_DELAY;
    this.timeout = props.timeout ?? DEFAULT_DRAIN_TIMEOUT;
    const delayMs = this.delay.toMilliseconds();
    const timeoutMs = this.timeout.toMilliseconds();
    if (delayMs < 0 || delayMs > MAX_SHUTDOWN_MS) {
      throw new Error(
        `'${path}.delay' (${this.delay.toHumanString()}) must be between 0 and ${MAX_DRAIN.toHumanString()}: ` +
          `5-15 s covers an ALB's deregistration`,
      );
    }
    if (timeoutMs < MIN_DRAIN_TIMEOUT.toMilliseconds() || timeoutMs > MAX_SHUTDOWN_MS) {
      throw new Error(
        `'${path}.timeout' (${this.timeout.toHumanString()}) must be between ${MIN_DRAIN_TIMEOUT.toHumanString()} and ${MAX_DRAIN.toHumanString()}: ` +
          `set it to the longest request the service serves`,
      );
    }
    const needed = delayMs + timeoutMs;
    this.gracePeriod =
      props.gracePeriod ??
      Duration.seconds(Math.ceil((needed + DRAIN_GRACE_MARGIN.toMilliseconds()) / 1000));
    const minimum = Math.ceil((needed + MIN_DRAIN_GRACE_MARGIN.toMilliseconds()) / 1000);
    if (this.gracePeriod.toSeconds() < minimum) {
      throw new Error(
        `'${path}.gracePeriod' (${this.gracePeriod.toHumanString()}) must be at least ` +
          `'${path}.delay' + '${path}.timeout' + 2 s (${minimum} s), or the kubelet kills the pod ` +
          `mid-drain: raise it to ${minimum} s or more, shorten the drain, or leave it unset to derive it`,
      );
    }
  }

  /** Delay in milliseconds. */
  get delayMs(): number {
    return this.delay.toMilliseconds();
  }

  /** Timeout in milliseconds. */
  get timeoutMs(): number {
    return this.timeout.toMilliseconds();
  }

  /** `terminationGracePeriodSeconds`, whole seconds. */
  get gracePeriodSeconds(): number {
    return Math.ceil(this.gracePeriod.toSeconds());
  }

  /** The variables the app reads (by the stayup API and @stayup/nest-lifecycle's `lifecycleOptionsFromEnv`). */
  toEnv(): Record<typeof ServiceEnv.shutdownDelayMs | typeof ServiceEnv.shutdownTimeoutMs, string> {
    return {
      [ServiceEnv.shutdownDelayMs]: String(this.delayMs),
      [ServiceEnv.shutdownTimeoutMs]: String(this.timeoutMs),
    };
  }
}
