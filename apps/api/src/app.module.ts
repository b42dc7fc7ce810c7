import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LifecycleModule } from '@stayup/nest-lifecycle';
import { API_CONFIG } from './config/api-config.constants.js';
import type { ApiConfig } from './config/api-config.js';
import { HelloController } from './hello/hello.controller.js';
import { MethodNotAllowedFilter } from './http/method-not-allowed.filter.js';
import { WarmupService } from './warmup/warmup.service.js';

/** The API: `/hello`, the lifecycle probes (`/ready`, `/alive`) and the drain. */
@Module({})
export class AppModule {
  /** Builds the module from a validated configuration (see `loadConfig`). */
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LifecycleModule.forRoot({
          shutdownDelayMs: config.shutdownDelayMs,
          shutdownTimeoutMs: config.shutdownTimeoutMs,
          overload: config.overload,
        }),
      ],
      controllers: [HelloController],
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: MethodNotAllowedFilter },
        WarmupService,
      ],
    };
  }
}
