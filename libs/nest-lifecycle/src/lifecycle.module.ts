import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { createHealthController } from './health/health.controller.js';
import {
  DEFAULT_LIVENESS_PATH,
  DEFAULT_READINESS_PATH,
  LIFECYCLE_OPTIONS,
  LIFECYCLE_ROUTES,
  type ProbeRoutes,
} from './lifecycle.constants.js';
import type {
  LifecycleModuleAsyncOptions,
  LifecycleModuleOptions,
  LifecycleRouteOptions,
} from './lifecycle-options.interface.js';
import { LifecycleService } from './lifecycle.service.js';
import { resolveLifecycleOptions } from './private/resolve-options.js';
import { GracefulShutdownService } from './shutdown/graceful-shutdown.service.js';

/**
 * Readiness and liveness probes on terminus, and the SIGTERM drain, for any NestJS HTTP service.
 *
 * @example
 * @Module({ imports: [LifecycleModule.forRoot({ shutdownDelayMs: 10_000 })] })
 * export class AppModule {}
 * // main.ts
 * await listenWithLifecycle(app, 8080);
 */
@Module({})
export class LifecycleModule {
  /** Declares the module with options known up front. Invalid options throw here. */
  static forRoot(options: LifecycleModuleOptions & LifecycleRouteOptions = {}): DynamicModule {
    return LifecycleModule.create(options, [
      { provide: LIFECYCLE_OPTIONS, useValue: resolveLifecycleOptions(options) },
    ]);
  }

  /** Declares the module with options built from injected providers (a config service). */
  static forRootAsync(options: LifecycleModuleAsyncOptions): DynamicModule {
    const factory = options.useFactory as (
      ...args: unknown[]
    ) => LifecycleModuleOptions | Promise<LifecycleModuleOptions>;
    return LifecycleModule.create(
      options,
      [
        {
          provide: LIFECYCLE_OPTIONS,
          useFactory: async (...args: unknown[]) => resolveLifecycleOptions(await factory(...args)),
          inject: (options.inject ?? []) as never[],
        },
      ],
      options.imports,
    );
  }

  private static create(
    routes: LifecycleRouteOptions,
    optionProviders: Provider[],
    imports: DynamicModule['imports'] = [],
  ): DynamicModule {
    const readinessPath = routes.readinessPath ?? DEFAULT_READINESS_PATH;
    const livenessPath = routes.livenessPath ?? DEFAULT_LIVENESS_PATH;
    if (normalise(readinessPath) === normalise(livenessPath)) {
      throw new Error(
        `'livenessPath' (${livenessPath}) must differ from 'readinessPath' (${readinessPath}): ` +
          `liveness stays up while draining and readiness does not, so they cannot share a path`,
      );
    }
    const probeRoutes: ProbeRoutes = { readinessPath, livenessPath };
    return {
      module: LifecycleModule,
      imports: [...imports, TerminusModule.forRoot({ logger: false })],
      controllers: [createHealthController(readinessPath, livenessPath)],
      providers: [
        ...optionProviders,
        { provide: LIFECYCLE_ROUTES, useValue: probeRoutes },
        LifecycleService,
        GracefulShutdownService,
      ],
      exports: [LifecycleService, GracefulShutdownService, LIFECYCLE_OPTIONS],
    };
  }
}

function normalise(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
