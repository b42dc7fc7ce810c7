import type { INestApplication } from '@nestjs/common';
import { GracefulShutdownService } from './graceful-shutdown.service.js';

/**
 * `app.listen()` with the lifecycle in charge: applies the server timeouts, installs the drain on
 * SIGTERM/SIGINT, then listens. Resolves with the address the server listens on.
 *
 * @example
 * const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
 * await listenWithLifecycle(app, 8080, '0.0.0.0');
 */
export async function listenWithLifecycle(
  app: INestApplication,
  port: number,
  host = '0.0.0.0',
): Promise<string> {
  app.get(GracefulShutdownService).attach(app);
  await app.listen(port, host);
  return app.getUrl();
}
