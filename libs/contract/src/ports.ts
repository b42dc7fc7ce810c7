/** HTTP port of a stayup service, in its container and on `npm start`. */
export const DEFAULT_HTTP_PORT = 8080;

/**
 * Prometheus metrics port: OpenTelemetry's Prometheus exporter default. Apart from the HTTP port
 * so that the public load balancer, which targets the HTTP port, never exposes the metrics.
 * @see https://opentelemetry.io/docs/specs/otel/metrics/sdk_exporters/prometheus/
 */
export const DEFAULT_METRICS_PORT = 9464;

/** Largest TCP port number. */
export const MAX_PORT = 65_535;
