import type { Metric, MetricObjectWithValues, MetricType, MetricValueWithName } from 'prom-client';

type Label = 'method' | 'route' | 'status_code';

/** One label combination: per-bucket counts (not cumulative), sum and count. */
interface Series {
  readonly method: string;
  readonly route: string;
  readonly statusCode: number;
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram of HTTP request durations by method, route template and status code,
 * recorded without allocating: the series is found through three map lookups on values the
 * request already holds (no label object, no key string), and the bucket by a scan of the bounds.
 *
 * Why not prom-client's `Histogram` for this one metric:
 * docs/internals.md#request-duration-histogram.
 * It is registered in a prom-client `Registry` like any metric and exported in prom-client's own
 * format (request-duration-histogram.spec.ts checks the text is identical to a `Histogram` fed
 * the same observations), so `registry.metrics()` and `getMetricsAsJSON()` see no difference.
 */
export class RequestDurationHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: Float64Array;
  /** route → method → status code → series */
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
  ) {
    const sorted = [...buckets].sort((a, b) => a - b);
    if (
      sorted.length === 0 ||
      sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))
    ) {
      throw new Error(
        `${name}: buckets must be distinct finite numbers, got [${buckets.join(', ')}]`,
      );
    }
    this.bounds = Float64Array.from(sorted);
  }

  /** Every series, whatever its route, method and status code. */
  private *allSeries(): Generator<Series> {
    for (const byMethod of this.series.values()) {
      for (const byStatus of byMethod.values()) yield* byStatus.values();
    }
  }

  /** Records one request. `route` must be a template (or a fixed placeholder), never a raw URL. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) this.series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(statusCode);
    if (series === undefined) {
      series = {
        method,
        route,
        statusCode,
        buckets: new Float64Array(this.bounds.length),
        sum: 0,
        count: 0,
      };
      byStatus.set(statusCode, series);
    }
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        series.buckets[i]++;
        break;
      }
    }
    series.sum += seconds;
    series.count++;
  }

  /** prom-client's metric interface: the values, as `Histogram.get()` returns them. */
  async get(): Promise<MetricObjectWithValues<MetricValueWithName<Label | 'le'>>> {
    const values: MetricValueWithName<Label | 'le'>[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const s of this.allSeries()) {
      const labels = { method: s.method, route: s.route, status_code: s.statusCode };
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.buckets[i];
        values.push({
          labels: { le: this.bounds[i], ...labels },
          value: cumulative,
          metricName: bucketName,
        });
      }
      values.push({
        labels: { le: '+Inf', ...labels },
        value: s.count,
        metricName: bucketName,
      });
      values.push({ labels: { ...labels }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return {
      name: this.name,
      help: this.help,
      // prom-client's declarations say a numeric enum; at run time every metric's type is this
      // string, which the exposition prints as `# TYPE <name> histogram`
      type: this.type as unknown as MetricType,
      values,
      aggregator: this.aggregator,
      collect: () => undefined,
    };
  }

  /** The finite bucket upper bounds, ascending. */
  get upperBounds(): Float64Array {
    return this.bounds.slice();
  }

  /** Cumulative counts per bound over every series, then the total (the `+Inf` bucket). */
  cumulativeCounts(): Float64Array {
    const out = new Float64Array(this.bounds.length + 1);
    for (const s of this.allSeries()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) out[i] += cumulative += s.buckets[i];
      out[this.bounds.length] += s.count;
    }
    return out;
  }

  /**
   * The same requests as a counter, `<name>{method,route,status_code}` = the series' count: for
   * collectors that drop histograms (the CloudWatch agent keeps counters, gauges and summaries
   * only, https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-metrics-conversion.html).
   * Read from the histogram's series at scrape time, so a request costs nothing more.
   */
  counter(name: string, help: string): Metric<Label> {
    const get = async (): Promise<MetricObjectWithValues<MetricValueWithName<Label>>> => {
      const values: MetricValueWithName<Label>[] = [];
      for (const s of this.allSeries()) {
        values.push({
          labels: { method: s.method, route: s.route, status_code: s.statusCode },
          value: s.count,
          metricName: name,
        });
      }
      return {
        name,
        help,
        type: 'counter' as unknown as MetricType,
        values,
        aggregator: this.aggregator,
        collect: () => undefined,
      };
    };
    // reset: the histogram's own reset clears the series this reads
    const metric = {
      name,
      help,
      type: 'counter',
      aggregator: this.aggregator,
      get,
      reset: () => undefined,
    };
    return metric as unknown as Metric<Label>;
  }

  reset(): void {
    this.series.clear();
  }

  /** For `registry.registerMetric()`, whose type lists prom-client's own classes. */
  asMetric(): Metric<Label> {
    return this as unknown as Metric<Label>;
  }
}
