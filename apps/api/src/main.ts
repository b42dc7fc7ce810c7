import 'reflect-metadata';
import { GracefulShutdownService, listenWithLifecycle } from '@stayup/nest-lifecycle';
import { ConfigError, loadConfig, type ApiConfig } from './config/api-config.js';
import { createApp } from './create-app.js';
import { createApiLogger } from './observability/logger.js';
import { startMetricsServer } from './observability/metrics-server.js';

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
  const { app, metrics } = await createApp(config, log);
  const lifecycle = app.get(GracefulShutdownService);
  await startMetricsServer(metrics.registry, config.metricsPort, config.host, (req, res) =>
    lifecycle.answerProbe(req, res),
  );
  await listenWithLifecycle(app, config.port, config.host);
  log.pino.info(
    { context: 'Main', port: config.port, metricsPort: config.metricsPort, host: config.host },
    `listening on ${config.host}:${config.port}; metrics and probes on :${config.metricsPort}`,
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
