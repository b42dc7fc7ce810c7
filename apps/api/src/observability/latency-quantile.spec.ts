import { describe, expect, it } from '@jest/globals';
import { DURATION_BUCKETS } from './http-metrics.js';
import { LatencyQuantile } from './latency-quantile.js';
import { RequestDurationHistogram } from './request-duration-histogram.js';

// Estimation as Prometheus' histogram_quantile(): linear interpolation inside the bucket holding
// the rank, the lower bound of the first bucket is 0, a rank in +Inf answers the last finite bound
// (https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile).

function setUp() {
  let now = 0;
  const histogram = new RequestDurationHistogram('d', 'd', DURATION_BUCKETS);
  const p99 = new LatencyQuantile(
    0.99,
    60_000,
    histogram.upperBounds,
    () => histogram.cumulativeCounts(),
    () => now,
  );
  const observe = (count: number, seconds: number, route = '/hello') => {
    for (let i = 0; i < count; i++) histogram.observe('GET', route, 200, seconds);
  };
  return { p99, observe, at: (ms: number) => (now = ms) };
}

describe('LatencyQuantile', () => {
  it('interpolates inside the bucket that holds the rank, across every series', () => {
    const { p99, observe, at } = setUp();
    expect(p99.read()).toBe(0); // nothing yet
    observe(60, 0.02, '/hello'); // (0.01, 0.025]
    observe(40, 0.012, '/ready');
    at(60_000);
    // rank 99 of 100, all in (0.01, 0.025]: 0.01 + 0.015 × 99/100
    expect(p99.read()).toBeCloseTo(0.02485, 10);
  });

  it('covers the last window only: requests older than a minute fall out', () => {
    const { p99, observe, at } = setUp();
    p99.read(); // t=0
    observe(1000, 0.001);
    at(60_000);
    expect(p99.read()).toBeLessThanOrEqual(0.001);
    observe(100, 0.7); // (0.5, 1]
    at(120_000);
    // the window starts at the t=60 s reading: only the slow requests
    expect(p99.read()).toBeCloseTo(0.5 + 0.5 * 0.99, 10);
    // a second scraper 5 s later keeps the same start: readings do not shorten the window
    at(125_000);
    expect(p99.read()).toBeCloseTo(0.995, 10);
  });

  it('answers the last finite bound for requests beyond it, and 0 for an idle window', () => {
    const { p99, observe, at } = setUp();
    p99.read();
    observe(10, 42);
    at(60_000);
    expect(p99.read()).toBe(DURATION_BUCKETS[DURATION_BUCKETS.length - 1]);
    at(120_000);
    expect(p99.read()).toBe(0);
  });

  it('refuses a quantile outside (0, 1) or an empty window, naming it', () => {
    const bounds = Float64Array.from([1]);
    const none = () => new Float64Array(2);
    expect(() => new LatencyQuantile(99, 60_000, bounds, none)).toThrow(
      'quantile (99) must be between 0 and 1, e.g. 0.99',
    );
    expect(() => new LatencyQuantile(0.99, 0, bounds, none)).toThrow(
      'windowMs (0) must be positive, e.g. 60000',
    );
  });
});
