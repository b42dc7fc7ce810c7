import { DERIVED_ENV, SECRET_NAME, ServiceEnv } from '@stayup/contract';
import { k8s } from 'cdk8s-plus-28';
import type { DrainTiming } from '../drain-timing.js';
import type { EnvValue } from '../env-value.js';

/**
 * The container's environment: the variables derived from the construct's props (ports, drain)
 * first, then the user's, sorted. Refuses a user value for a derived variable, a name that is not
 * a C identifier, and a literal under a secret-looking name.
 */
export function containerEnv(
  port: number | undefined,
  metricsPort: number | undefined,
  drain: DrainTiming,
  extra: Record<string, EnvValue>,
): k8s.EnvVar[] {
  for (const [name, value] of Object.entries(extra)) {
    if (DERIVED_ENV.includes(name as (typeof DERIVED_ENV)[number])) {
      throw new Error(
        `'env.${name}' must not be set: the construct derives it (from port, metricsPort or drain) ` +
          `so that the app, the probes and the grace period agree; set that prop instead`,
      );
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new Error(
        `'env.${name}' must be a C identifier (letters, digits, '_'): rename it, e.g. ` +
          `'${name.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}'`,
      );
    }
    if (value.isLiteral && SECRET_NAME.test(name)) {
      throw new Error(
        `'env.${name}' looks like a secret and must not be a literal written into the manifest: ` +
          `use EnvValue.fromSecret('<secret-name>', '<key>')`,
      );
    }
  }
  const fixed: Record<string, string> = {
    ...(port ? { [ServiceEnv.port]: String(port) } : {}),
    ...(metricsPort ? { [ServiceEnv.metricsPort]: String(metricsPort) } : {}),
    ...drain.toEnv(),
  };
  return [
    ...Object.entries(fixed).map(([name, value]) => ({ name, value })),
    ...Object.entries(extra)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => value.toKube(name)),
  ];
}
