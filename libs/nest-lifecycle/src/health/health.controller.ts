import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { LIFECYCLE_OPTIONS } from '../lifecycle.constants.js';
import type { ResolvedLifecycleOptions } from '../lifecycle-options.interface.js';
import { LifecycleService } from '../lifecycle.service.js';
import { readinessChecks } from './readiness-checks.js';

/**
 * Builds the controller serving the two probes at the given paths. Paths are route metadata, fixed
 * when the class is declared, hence a factory rather than one class.
 *
 * - readiness: 200 in the `ready` state with every readiness indicator up, else 503;
 * - liveness: 200 whenever the process can answer, during the drain too.
 */
export function createHealthController(readinessPath: string, livenessPath: string): Type {
  @Controller()
  class HealthController {
    constructor(
      private readonly health: HealthCheckService,
      private readonly lifecycle: LifecycleService,
      @Inject(LIFECYCLE_OPTIONS) private readonly options: ResolvedLifecycleOptions,
    ) {}

    @Get(readinessPath)
    @HealthCheck({ noCache: true, swaggerDocumentation: false })
    ready(): Promise<HealthCheckResult> {
      return this.health.check(readinessChecks(this.lifecycle, this.options.readinessIndicators));
    }

    @Get(livenessPath)
    @HealthCheck({ noCache: true, swaggerDocumentation: false })
    alive(): Promise<HealthCheckResult> {
      return this.health.check([() => this.lifecycle.liveness()]);
    }
  }
  return HealthController;
}
