import { Tags, type Stack } from 'aws-cdk-lib';
import type { EnvironmentConfig } from './environment.js';

/** The AWS tags of an environment's resources: project, environment, owner, cost centre. */
export function awsTags(environment: EnvironmentConfig): Record<string, string> {
  return {
    project: environment.tags.project,
    environment: environment.name,
    owner: environment.tags.owner,
    'cost-centre': environment.tags.costCentre,
  };
}

/** Tags every resource of `stack` with {@link awsTags}. */
export function tagStack(stack: Stack, environment: EnvironmentConfig): void {
  for (const [key, value] of Object.entries(awsTags(environment))) Tags.of(stack).add(key, value);
}
