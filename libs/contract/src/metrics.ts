/**
 * Prometheus metrics a stayup service serves on its metrics port, by name: the service exports
 * them, and the platform's collectors and alarms (CloudWatch, PrometheusRule) read them. The
 * request counter and the p99 gauge exist for collectors that drop histograms, such as the
 * CloudWatch agent.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights-Prometheus-metrics-conversion.html
 */
export const ServiceMetric = {
  /** Histogram of request durations, by `method`, `route` (template) and `status_code`. */
  requestDuration: 'http_request_duration_seconds',
  /** Counter of requests answered, by `method`, `route` and `status_code`. */
  requests: 'http_requests_total',
  /** Gauge: the p99 of the last minute's request durations. */
  latencyP99: 'http_request_duration_p99_seconds',
  /** Gauge: requests received and not yet answered. */
  inFlight: 'http_requests_in_flight',
  /** Counter of requests answered 503 by load shedding, by `reason`. */
  shed: 'http_requests_shed_total',
  /** Counter of requests refused before routing, by `reason`. */
  rejected: 'http_requests_rejected_total',
  /** Counter of log lines dropped because stdout was not read fast enough. */
  logLinesDropped: 'log_lines_dropped_total',
} as const;
