import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Histogram buckets in seconds: 1 ms to 10 s, dense below 100 ms where an API should live. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Route label for requests that matched no route: one series, however many random paths. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The API's Prometheus metrics:
 * - the runtime defaults of prom-client (`process_*`, `nodejs_*`: CPU, memory, event loop lag, GC);
 * - `http_request_duration_seconds{method,route,status_code}`: a histogram, labelled by route
 *   *template* so random paths cannot explode the series count;
 * - `http_requests_in_flight`: requests received and not yet answered, read at scrape time;
 * - `http_requests_rejected_total{reason}`: requests refused before routing (URI too long).
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly rejected: Counter<'reason'>;
  /**
   * Bound children by "method route status": prom-client hashes the label object on every
   * `observe`; binding once per combination removes that from the request path.
   */
  private readonly children = new Map<string, { observe(value: number): void }>();

  constructor(inFlight: () => number) {
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.rejected = new Counter({
      name: 'http_requests_rejected_total',
      help: 'Requests refused before routing, by reason.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests received and not yet answered.',
      registers: [this.registry],
      collect() {
        this.set(inFlight());
      },
    });
  }

  /** Records one request. `route` must be a template (or {@link UNMATCHED_ROUTE}), never a raw URL. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${route} ${statusCode}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.duration.labels(method, route, String(statusCode));
      this.children.set(key, child);
    }
    child.observe(seconds);
  }

  /** Counts a request refused before routing. */
  reject(reason: string): void {
    this.rejected.inc({ reason });
  }
}
