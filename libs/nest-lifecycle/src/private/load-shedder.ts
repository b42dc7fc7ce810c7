import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ResolvedOverloadOptions } from '../lifecycle-options.interface.js';

/** Why a request was shed: the bound it met. */
export type ShedReason = 'in_flight' | 'connections' | 'event_loop';

/** How often the event-loop delay is read, in milliseconds. */
export const EVENT_LOOP_SAMPLE_MS = 100;
/** Resolution of the event-loop delay histogram, in milliseconds (Node's own default). */
const EVENT_LOOP_RESOLUTION_MS = 10;

const BODY = Buffer.from(
  JSON.stringify({
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'The server is overloaded; retry later.',
  }),
);

/**
 * Answers requests past the service's capacity with a fast `503` and `Retry-After`, before the
 * framework sees them, so a saturated replica keeps its latency (and its probes) bounded instead
 * of queueing work it will answer too late. Three bounds, each counted by {@link shedCounts}:
 *
 * - `in_flight`: requests received and not yet answered (work waiting on something slower);
 * - `connections`: open connections; a request on a connection past the bound is answered with
 *   `Connection: close`, so the connection goes too. Behind a load balancer, which opens a
 *   connection per concurrent request, this bounds the requests queued in the kernel, which
 *   nothing in the process can see: size it for the pod's CPU (the API does);
 * - `event_loop`: the event loop's delay above the bound on two {@link EVENT_LOOP_SAMPLE_MS} ms
 *   samples running (one late sample is a pause, not overload): work that hogs the loop.
 *
 * Not a bound: event-loop utilization (@fastify/under-pressure's `maxEventLoopUtilization`). A
 * replica that sheds at full utilization stays at full utilization answering 503s to clients that
 * retry at once, and its useful throughput collapses: 142 of 6,543 answers were 200 under 128 saturating
 * connections at 0.25 CPU, where the bounds above shed nothing.
 *
 * The approach is @fastify/under-pressure's (`maxEventLoopDelay`, `retryAfter`), moved onto the
 * raw HTTP server: a Fastify hook would take every request off Fastify's hook-free path and would
 * not cover other frameworks. The probes are answered before this (they are never shed).
 * @see https://github.com/fastify/under-pressure
 * @see https://nodejs.org/api/perf_hooks.html#perf_hooksmonitoreventloopdelayoptions
 */
export class LoadShedder {
  /** Requests shed so far, by reason. */
  readonly shedCounts: Record<ShedReason, number> = { in_flight: 0, connections: 0, event_loop: 0 };
  private readonly retryAfter: string;
  private histogram?: IntervalHistogram;
  private sampler?: NodeJS.Timeout;
  private loopLate = false;

  constructor(private readonly options: ResolvedOverloadOptions) {
    this.retryAfter = String(options.retryAfterSeconds);
  }

  /** The event-loop delay of the last sample, in milliseconds. */
  lastEventLoopDelayMs = 0;

  /** Starts sampling the event-loop delay (when that bound is on). */
  start(): void {
    const bound = this.options.maxEventLoopDelayMs;
    if (bound === 0 || this.histogram) return;
    const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    histogram.enable();
    this.histogram = histogram;
    let due = performance.now() + EVENT_LOOP_SAMPLE_MS;
    this.sampler = setInterval(() => {
      // The histogram's samples are its own timer's lateness plus the resolution. The sampler's
      // own lateness counts too: after a stall it may run before that timer has recorded it.
      const now = performance.now();
      const delayMs = Math.max(0, histogram.max / 1e6 - EVENT_LOOP_RESOLUTION_MS, now - due);
      due = now + EVENT_LOOP_SAMPLE_MS;
      histogram.reset();
      // Late twice running: a saturated CPU keeps the loop late, while a single pause (a major
      // GC, a stalled node resuming) is over by the next sample, and shedding the requests that
      // queued during it would fail answers that are now cheap to give.
      this.loopLate = delayMs > bound && this.lastEventLoopDelayMs > bound;
      this.lastEventLoopDelayMs = delayMs;
    }, EVENT_LOOP_SAMPLE_MS).unref();
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.sampler);
    this.histogram?.disable();
    this.histogram = undefined;
    this.loopLate = false;
  }

  /**
   * Whether a connection that just opened, making `connections` open, is past the bound: its
   * requests are then shed. Decided once, when it opens, so the connections within the bound keep
   * being served however many others come.
   */
  isPastConnectionBound(connections: number): boolean {
    return connections > this.options.maxConnections;
  }

  /**
   * Sheds the request when a bound is met: answers `res` with 503, `Retry-After` and a short JSON
   * body, and returns true. `inFlight` counts this request; `pastConnectionBound` is what
   * {@link isPastConnectionBound} said of its connection.
   */
  shed(res: ServerResponse, inFlight: number, pastConnectionBound: boolean): boolean {
    const { maxInFlightRequests } = this.options;
    let reason: ShedReason;
    if (pastConnectionBound) reason = 'connections';
    else if (inFlight > maxInFlightRequests) reason = 'in_flight';
    else if (this.loopLate) reason = 'event_loop';
    else return false;
    this.shedCounts[reason]++;
    res.statusCode = 503;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Retry-After', this.retryAfter);
    if (reason === 'connections') res.setHeader('Connection', 'close');
    res.setHeader('Content-Length', BODY.length);
    res.end(res.req.method === 'HEAD' ? undefined : BODY);
    return true;
  }
}
