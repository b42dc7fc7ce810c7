import { describe, expect, it } from '@jest/globals';
import { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS } from './http-metrics.js';
import { RequestDurationHistogram } from './request-duration-histogram.js';

const NAME = 'http_request_duration_seconds';
const HELP = 'Duration of HTTP requests.';

/** Deterministic observations across several series, bucket edges and +Inf included. */
function observations(): Array<[string, string, number, number]> {
  const out: Array<[string, string, number, number]> = [];
  const routes = ['/hello', '/ready', 'unmatched'];
  const edges = [...DURATION_BUCKETS, 0.0001, 0.0042, 11, 60];
  let i = 0;
  for (const seconds of edges) {
    for (const route of routes) {
      out.push([i % 3 === 0 ? 'HEAD' : 'GET', route, i % 4 === 0 ? 404 : 200, seconds]);
      i++;
    }
  }
  return out;
}

/** prom-client's own Histogram, given the same observations: the reference. */
function promClientRegistry(obs: ReturnType<typeof observations>): Registry {
  const registry = new Registry();
  const h = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  for (const [method, route, status, seconds] of obs)
    h.observe({ method, route, status_code: String(status) }, seconds);
  return registry;
}

async function promClientText(obs: ReturnType<typeof observations>): Promise<string> {
  return promClientRegistry(obs).metrics();
}

async function ourText(
  obs: ReturnType<typeof observations>,
): Promise<{ text: string; registry: Registry }> {
  const registry = new Registry();
  const h = new RequestDurationHistogram(NAME, HELP, DURATION_BUCKETS);
  registry.registerMetric(h.asMetric());
  for (const [method, route, status, seconds] of obs) h.observe(method, route, status, seconds);
  return { text: await registry.metrics(), registry };
}

/** Exposition lines, with the series in a fixed order (Prometheus does not care about it). */
const lines = (text: string) => text.trim().split('\n').sort();

describe('RequestDurationHistogram', () => {
  it('exports exactly what prom-client’s Histogram exports for the same observations', async () => {
    const obs = observations();
    const ours = await ourText(obs);
    expect(lines(ours.text)).toEqual(lines(await promClientText(obs)));
    expect(ours.text).toContain(
      `${NAME}_bucket{le="0.001",method="GET",route="/ready",status_code="200"} 1`,
    );
    expect(ours.text).toMatch(
      new RegExp(
        `^${NAME}_bucket\\{le="\\+Inf",method="HEAD",route="/hello",status_code="404"\\} \\d+$`,
        'm',
      ),
    );
  });

  it('appears in getMetricsAsJSON() as prom-client’s Histogram does', async () => {
    const obs = observations().slice(0, 5);
    const ours = await ourText(obs);
    const registry = promClientRegistry(obs);
    const normalise = (json: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      json.map(({ name, help, type, aggregator, values }) => ({
        name,
        help,
        type,
        aggregator,
        values: values
          // prom-client adds `exemplar: null` to buckets when exemplars are off
          .map(
            ({
              exemplar,
              metricName,
              value,
              labels,
            }: {
              exemplar?: unknown;
              metricName?: string;
              value: number;
              labels: object;
            }) => {
              expect(exemplar ?? null).toBeNull();
              const labelText = Object.entries(labels).map(([k, l]) => `${k}=${String(l)}`);
              return `${metricName} ${labelText.join(',')} ${value}`;
            },
          )
          .sort(),
      }));
    expect(normalise(await ours.registry.getMetricsAsJSON())).toEqual(
      normalise(await registry.getMetricsAsJSON()),
    );
  });

  it('exports its counts as the counter prom-client’s Counter would, for collectors that drop histograms', async () => {
    // The CloudWatch agent drops histograms and keeps counters: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-metrics-conversion.html
    const obs = observations();
    const reference = new Registry();
    const counter = new Counter({
      name: 'http_requests_total',
      help: HELP,
      labelNames: ['method', 'route', 'status_code'],
      registers: [reference],
    });
    for (const [method, route, status] of obs) counter.inc({ method, route, status_code: status });
    const registry = new Registry();
    const h = new RequestDurationHistogram(NAME, HELP, DURATION_BUCKETS);
    registry.registerMetric(h.counter('http_requests_total', HELP));
    for (const [method, route, status, seconds] of obs) h.observe(method, route, status, seconds);
    const ours = await registry.metrics();
    expect(lines(ours)).toEqual(lines(await reference.metrics()));
    expect(ours).toContain('# TYPE http_requests_total counter');
    expect(ours).toMatch(
      /^http_requests_total\{method="HEAD",route="\/hello",status_code="404"\} [1-9]/m,
    );
  });

  it('starts over on registry.resetMetrics()', async () => {
    const { registry } = await ourText(observations());
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('_bucket');
  });

  it('refuses empty, repeated or non-finite buckets, naming them', () => {
    expect(() => new RequestDurationHistogram(NAME, HELP, [])).toThrow(
      `${NAME}: buckets must be distinct finite numbers, got []`,
    );
    expect(() => new RequestDurationHistogram(NAME, HELP, [0.1, 0.1])).toThrow('got [0.1, 0.1]');
    expect(() => new RequestDurationHistogram(NAME, HELP, [0.1, Infinity])).toThrow(
      'got [0.1, Infinity]',
    );
  });
});
