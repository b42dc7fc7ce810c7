import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LIVENESS_PATH, READINESS_PATH } from '@stayup/contract';
import { GracefulShutdownService } from '@stayup/nest-lifecycle';
import { AppModule } from './app.module.js';
import type { ApiConfig } from './config/api-config.js';
import { createApiRequestHooks } from './http/api-request-hooks.js';
import { JSON_API_SECURITY_HEADERS, jsonApiResponse } from './http/json-api-response.js';
import { LeanFastifyAdapter } from './http/lean-fastify-adapter.js';
import { assignedRequestId, fastifyRequestId } from './http/request-id.js';
import { HttpMetrics } from './observability/http-metrics.js';
import type { ApiLogger } from './observability/logger.js';
import { requestLogLine } from './observability/request-log-line.js';

/** The API serves no request bodies; anything larger than this is refused with 413. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** A configured API, not yet listening: what {@link createApp} returns. */
export interface ApiApplication {
  /** The Nest application (listen with `listenWithLifecycle`). */
  readonly app: NestFastifyApplication;
  /** Its Prometheus metrics (serve `metrics.registry` with `startMetricsServer`). */
  readonly metrics: HttpMetrics;
}

/**
 * Builds the API as production runs it, without listening: the Nest application on
 * {@link LeanFastifyAdapter}, every response through the JSON API response class (security
 * headers, `x-request-id`), the per-request hooks (request ids, early refusals, metrics, one
 * access-log line per request, the probes at debug), and CORS when configured. `main.ts` adds the
 * metrics server and listens; unit tests run exactly this.
 */
export async function createApp(config: ApiConfig, log: ApiLogger): Promise<ApiApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new LeanFastifyAdapter({
      logger: false,
      genReqId: fastifyRequestId,
      bodyLimit: BODY_LIMIT_BYTES,
      // every response, whoever writes it, carries the security headers and x-request-id
      http: {
        ServerResponse: jsonApiResponse({
          headers: JSON_API_SECURITY_HEADERS,
          requestId: assignedRequestId,
        }),
      },
    }),
    { logger: log.nest },
  );
  const lifecycle = app.get(GracefulShutdownService);
  const metrics = new HttpMetrics({
    inFlight: () => lifecycle.inFlightRequests,
    droppedLogLines: log.droppedLines,
    shedRequests: () => lifecycle.shedRequests,
  });
  // One line per request at info; the probes (every few seconds from each kubelet) at debug.
  const logRequests = log.pino.isLevelEnabled('info');
  const logProbes = log.pino.isLevelEnabled('debug');
  const probes = new Set([READINESS_PATH, LIVENESS_PATH]);
  lifecycle.useServerRequestHooks(
    createApiRequestHooks(app.getHttpAdapter().getInstance(), {
      metrics,
      probePaths: [...probes],
      onCompleted: (request) => {
        if (probes.has(request.route) ? logProbes : logRequests) {
          log.write(requestLogLine(request, process.pid));
        }
      },
    }),
  );
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: [...config.corsOrigins], methods: ['GET', 'HEAD'] });
  }
  return { app, metrics };
}
