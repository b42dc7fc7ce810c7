import { Tags, type Stack } from 'aws-cdk-lib';
import type { AwsConfig, EnvironmentConfig } from './environment.js';

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

/** The environment's AWS settings, or an error naming the field and what needed it. */
export function requireAws(environment: EnvironmentConfig, purpose: string): AwsConfig {
  if (!environment.aws) {
    throw new Error(`'environments.${environment.name}.aws' must be set to build ${purpose}`);
  }
  return environment.aws;
}

/** Name of the environment's EKS cluster (every region uses the same). */
export function clusterName(environment: EnvironmentConfig): string {
  return `${environment.tags.project}-${environment.name}`;
}
