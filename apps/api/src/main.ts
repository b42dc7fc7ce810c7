import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { listenWithLifecycle } from '@stayup/nest-lifecycle';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig, type ApiConfig } from './config/api-config.js';
import { createLogger } from './logger.js';

async function bootstrap(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger('fatal').fatal(error.message, 'Config');
    process.exit(1);
  }

  const logger = createLogger(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ logger: false }),
    { logger },
  );
  await listenWithLifecycle(app, config.port, config.host);
  logger.log(`listening on ${config.host}:${config.port}`, 'Main');
}

bootstrap().catch((error: unknown) => {
  createLogger('fatal').fatal(
    `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    'Main',
  );
  process.exit(1);
});
