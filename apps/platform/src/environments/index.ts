import { dev } from './dev.js';
import type { EnvironmentConfig, EnvironmentName } from './environment.js';
import { live } from './live.js';
import { local } from './local.js';
import { staging } from './staging.js';

export * from './environment.js';
export { validateEnvironment } from './validate-environment.js';

/** Every environment by name. */
export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  dev,
  staging,
  live,
  local,
};
