import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GracefulShutdownService, listenWithLifecycle } from '@stayup/nest-lifecycle';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig, type ApiConfig } from './config/api-config.js';
import { JSON_API_SECURITY_HEADERS, jsonApiResponse } from './http/json-api-response.js';
import { LeanFastifyAdapter } from './http/lean-fastify-adapter.js';
import {
  createHttpObserver,
  fastifyRequestId,
  observedRequestId,
} from './observability/http-observer.js';
import { HttpMetrics } from './observability/http-metrics.js';
import { createApiLogger } from './observability/logger.js';
import { requestLogLine } from './observability/request-log-line.js';
import { startMetricsServer } from './observability/metrics-server.js';

/** The API serves no request bodies; anything larger than this is refused with 413. */
const BODY_LIMIT_BYTES = 16 * 1024;

async function bootstrap(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const stderr = createApiLogger('fatal', 2);
    stderr.pino.fatal({ context: 'Config', problems: error.problems }, error.message);
    stderr.flush();
    process.exit(1);
  }

  const log = createApiLogger(config.logLevel);
  process.on('exit', log.flush);
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
          requestId: observedRequestId,
        }),
      },
    }),
    { logger: log.nest },
  );
  const lifecycle = app.get(GracefulShutdownService);
  const metrics = new HttpMetrics(() => lifecycle.inFlightRequests);
  // One line per request at info; the probes (every few seconds from each kubelet) at debug.
  const logRequests = log.pino.isLevelEnabled('info');
  const logProbes = log.pino.isLevelEnabled('debug');
  const probes = new Set(['/ready', '/alive']);
  lifecycle.observeRequests(
    createHttpObserver(app.getHttpAdapter().getInstance(), {
      metrics,
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
  await startMetricsServer(metrics.registry, config.metricsPort, config.host);
  await listenWithLifecycle(app, config.port, config.host);
  log.pino.info(
    { context: 'Main', port: config.port, metricsPort: config.metricsPort, host: config.host },
    `listening on ${config.host}:${config.port}, metrics on :${config.metricsPort}/metrics`,
  );
}

bootstrap().catch((error: unknown) => {
  const stderr = createApiLogger('fatal', 2);
  stderr.pino.fatal(
    {
      context: 'Main',
      err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
    },
    `failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  stderr.flush();
  process.exit(1);
});
