import { ServiceUnavailableException } from '@nestjs/common';
import type {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorResult,
} from '@nestjs/terminus';
import type { LifecycleService } from '../lifecycle.service.js';

/** What readiness runs: the lifecycle state, then the user's indicators, a throw reported down. */
export function readinessChecks(
  lifecycle: LifecycleService,
  indicators: readonly HealthIndicatorFunction[],
): HealthIndicatorFunction[] {
  return [() => lifecycle.readiness(), ...indicators.map(downWhenThrown)];
}

/**
 * Runs readiness through terminus outside a controller: resolves with the status and the body
 * terminus's controller would answer (200 with the result, or 503 with it: `HealthCheckService.check`
 * throws `ServiceUnavailableException(result)` when an indicator is down, terminus 12.1
 * dist/health-check/health-check.service.js).
 */
export async function checkReadiness(
  health: HealthCheckService,
  lifecycle: LifecycleService,
  indicators: readonly HealthIndicatorFunction[],
): Promise<{ readonly status: 200 | 503; readonly body: HealthCheckResult | object }> {
  try {
    return { status: 200, body: await health.check(readinessChecks(lifecycle, indicators)) };
  } catch (error) {
    if (error instanceof ServiceUnavailableException) {
      return { status: 503, body: error.getResponse() as object };
    }
    throw error;
  }
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
