import { Controller, Get, Inject, type Type } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { LIFECYCLE_OPTIONS } from '../lifecycle.constants.js';
import type { ResolvedLifecycleOptions } from '../lifecycle-options.interface.js';
import { LifecycleService } from '../lifecycle.service.js';

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
      return this.health.check([
        () => this.lifecycle.readiness(),
        ...this.options.readinessIndicators.map(downWhenThrown),
      ]);
    }

    @Get(livenessPath)
    @HealthCheck({ noCache: true, swaggerDocumentation: false })
    alive(): Promise<HealthCheckResult> {
      return this.health.check([() => this.lifecycle.liveness()]);
    }
  }
  return HealthController;
}

/**
 * An indicator that throws (a database client's own error rather than terminus's
 * `indicator.down()`) is reported as down under its function's name, with its message and no
 * stack: terminus would rethrow it, and the probe would answer 500 instead of 503.
 */
function downWhenThrown(
  indicator: HealthIndicatorFunction,
  index: number,
): HealthIndicatorFunction {
  if (typeof indicator !== 'function') return indicator; // a HealthCheckAttempt: terminus settles it
  const name =
    indicator.name && indicator.name !== 'anonymous' ? indicator.name : `indicator${index + 1}`;
  return async (): Promise<HealthIndicatorResult> => {
    try {
      return (await indicator()) as HealthIndicatorResult;
    } catch (error) {
      const causes = (error as { causes?: HealthIndicatorResult }).causes;
      if (causes && typeof causes === 'object') return causes; // terminus's HealthCheckError
      return {
        [name]: { status: 'down', message: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}
