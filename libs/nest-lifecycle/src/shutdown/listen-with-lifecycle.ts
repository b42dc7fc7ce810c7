import type { INestApplication } from '@nestjs/common';
import { GracefulShutdownService } from './graceful-shutdown.service.js';

/**
 * `app.listen()` with the lifecycle in charge (`port` may be `process.env.PORT`, a string): applies the server timeouts, installs the drain on
 * SIGTERM/SIGINT, then listens. Resolves with the address the server listens on.
 *
 * @example
 * const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
 * await listenWithLifecycle(app, 8080, '0.0.0.0');
 */
export async function listenWithLifecycle(
  app: INestApplication,
  port: number | string,
  host = '0.0.0.0',
): Promise<string> {
  const value = typeof port === 'string' && /^\s*\d+\s*$/.test(port) ? Number(port) : port;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(
      `'port' (${String(port)}) must be a port number from 0 to 65535, as a number or a string of ` +
        `digits: e.g. listenWithLifecycle(app, process.env.PORT ?? 3000)`,
    );
  }
  app.get(GracefulShutdownService).attach(app);
  await app.listen(value, host);
  return app.getUrl();
}
