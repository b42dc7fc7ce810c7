/** One reading of a histogram's cumulative bucket counts. */
interface Reading {
  readonly at: number;
  readonly counts: Float64Array;
}

/**
 * A quantile of the requests of the last `windowMs`, estimated from a histogram's buckets the way
 * Prometheus' `histogram_quantile()` does over a `rate()` window: the difference between the
 * cumulative counts now and a reading at least `windowMs` old, then linear interpolation inside
 * the bucket that holds the quantile
 * (https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile).
 *
 * For collectors that drop histograms (the CloudWatch agent keeps gauges): the value is exported as
 * a gauge, read at scrape time. Readings are taken when the gauge is read, with their time, so any
 * number of scrapers can read it without shortening each other's window. Until a reading is old
 * enough, the window is everything since the oldest one (at most the process' life).
 */
export class LatencyQuantile {
  private readonly readings: Reading[] = [];

  /**
   * @param bounds the histogram's finite bucket upper bounds, ascending
   * @param counts returns the cumulative count per bound, then the total (the `+Inf` bucket)
   */
  constructor(
    readonly quantile: number,
    readonly windowMs: number,
    private readonly bounds: Float64Array,
    private readonly counts: () => Float64Array,
    private readonly now: () => number = Date.now,
  ) {
    if (!(quantile > 0 && quantile < 1)) {
      throw new Error(`quantile (${quantile}) must be between 0 and 1, e.g. 0.99`);
    }
    if (!(windowMs > 0)) throw new Error(`windowMs (${windowMs}) must be positive, e.g. 60000`);
  }

  /** The quantile in seconds over the window; 0 with no request in it. */
  read(): number {
    const current: Reading = { at: this.now(), counts: this.counts() };
    // the newest reading at least a window old, else the oldest one: the window's start
    let start: Reading | undefined;
    for (const r of this.readings) if (current.at - r.at >= this.windowMs) start = r;
    start ??= this.readings[0];
    // keep that start and everything after it
    const keep = start ? this.readings.indexOf(start) : 0;
    this.readings.splice(0, keep);
    this.readings.push(current);
    return start ? this.estimate(current.counts, start.counts) : 0;
  }

  private estimate(now: Float64Array, then: Float64Array): number {
    const n = this.bounds.length;
    const total = now[n] - then[n];
    if (total <= 0) return 0;
    const rank = this.quantile * total;
    let below = 0;
    for (let i = 0; i < n; i++) {
      const cumulative = now[i] - then[i];
      if (cumulative >= rank) {
        const lower = i === 0 ? 0 : this.bounds[i - 1];
        const inBucket = cumulative - below;
        return lower + (this.bounds[i] - lower) * ((rank - below) / inBucket);
      }
      below = cumulative;
    }
    // above the last finite bound: Prometheus answers that bound
    return this.bounds[n - 1];
  }
}
