import { ServiceMetric } from '@stayup/contract';
import type { TargetRejection } from '../http/request-target.js';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LatencyQuantile } from './latency-quantile.js';
import { RequestDurationHistogram } from './request-duration-histogram.js';

/** Histogram buckets in seconds: 1 ms to 10 s, dense below 100 ms where an API should live. */
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The latency quantile exported as a gauge, and the window it covers (one scrape interval). */
export const LATENCY_QUANTILE = { quantile: 0.99, windowMs: 60_000 } as const;

/** Route label for requests that matched no route: one series, however many random paths. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Where {@link HttpMetrics} reads the values it exports at scrape time. */
export interface HttpMetricsSources {
  /** Requests received and not yet answered. */
  readonly inFlight: () => number;
  /** Log lines dropped so far. */
  readonly droppedLogLines: () => number;
  /** Requests shed so far, by reason (`GracefulShutdownService.shedRequests`). */
  readonly shedRequests: () => Readonly<Record<string, number>>;
}

/**
 * The API's Prometheus metrics:
 * - the runtime defaults of prom-client (`process_*`, `nodejs_*`: CPU, memory, event loop lag, GC);
 * - `http_request_duration_seconds{method,route,status_code}`: a histogram, labelled by route
 *   *template* so random paths cannot explode the series count;
 * - `http_requests_total{method,route,status_code}`: the same requests as a counter (the histogram's
 *   counts, read at scrape time), for collectors that drop histograms, such as the CloudWatch agent;
 * - `http_request_duration_p99_seconds`: the p99 of the last minute's requests, estimated from the
 *   histogram's buckets as `histogram_quantile(0.99, rate(...[1m]))` would, read at scrape time;
 * - `http_requests_in_flight`: requests received and not yet answered, read at scrape time;
 * - `http_requests_rejected_total{reason}`: requests refused before routing (`uri_too_long`,
 *   `invalid_target`);
 * - `http_requests_shed_total{reason}`: requests answered 503 by load shedding, by the bound they
 *   met (`in_flight`, `connections`, `event_loop`), read at scrape time;
 * - `log_lines_dropped_total`: log lines dropped because stdout was not read fast enough, read at
 *   scrape time (`ApiLogger.droppedLines`).
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly duration = new RequestDurationHistogram(
    ServiceMetric.requestDuration,
    'Duration of HTTP requests, by method, route template and status code.',
    DURATION_BUCKETS,
  );
  private readonly rejected: Counter<'reason'>;

  constructor({ inFlight, droppedLogLines, shedRequests }: HttpMetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(this.duration.asMetric());
    this.registry.registerMetric(
      this.duration.counter(
        ServiceMetric.requests,
        'HTTP requests answered, by method, route template and status code.',
      ),
    );
    this.rejected = new Counter({
      name: ServiceMetric.rejected,
      help: 'Requests refused before routing, by reason.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    const p99 = new LatencyQuantile(
      LATENCY_QUANTILE.quantile,
      LATENCY_QUANTILE.windowMs,
      this.duration.upperBounds,
      () => this.duration.cumulativeCounts(),
    );
    new Gauge({
      name: ServiceMetric.latencyP99,
      help: 'p99 of HTTP request durations over the last minute, from the histogram (for collectors that drop histograms).',
      registers: [this.registry],
      collect() {
        this.set(p99.read());
      },
    });
    new Gauge({
      name: ServiceMetric.inFlight,
      help: 'HTTP requests received and not yet answered.',
      registers: [this.registry],
      collect() {
        this.set(inFlight());
      },
    });
    const shedSoFar: Record<string, number> = {};
    new Counter({
      name: ServiceMetric.shed,
      help: 'Requests answered 503 because the service was past a load bound, by bound.',
      labelNames: ['reason'],
      registers: [this.registry],
      collect() {
        for (const [reason, count] of Object.entries(shedRequests())) {
          this.inc({ reason }, count - (shedSoFar[reason] ?? 0));
          shedSoFar[reason] = count;
        }
      },
    });
    let droppedSoFar = 0;
    new Counter({
      name: ServiceMetric.logLinesDropped,
      help: 'Log lines dropped because stdout was not read fast enough (the log queue was full).',
      registers: [this.registry],
      collect() {
        const dropped = droppedLogLines();
        this.inc(dropped - droppedSoFar);
        droppedSoFar = dropped;
      },
    });
  }

  /** Records one request. `route` must be a template (or {@link UNMATCHED_ROUTE}), never a raw URL. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.duration.observe(method, route, statusCode, seconds);
  }

  /** Counts a request refused before routing. */
  reject(reason: TargetRejection): void {
    this.rejected.inc({ reason });
  }
}
