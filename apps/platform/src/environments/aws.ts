import { regionalHostName, type HaDnsProps } from '@stayup/eks-platform';
import { Tags, type Stack } from 'aws-cdk-lib';
import { apiImageRepository } from './defaults.js';
import type { AwsConfig, EnvironmentConfig, RegionConfig } from './environment.js';

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

/** The environment's regions, the primary first. */
export function regionsOf(aws: AwsConfig): readonly RegionConfig[] {
  return [aws.primary, ...(aws.extraRegions ?? [])];
}

/**
 * The repository a cluster in `region` pulls the API from: `api.imageRepository` when set (no
 * AWS, or an outside registry), else the environment account's ECR in that same region (the
 * delivery stack replicates the primary's repository to every other region), so no region
 * pulls across regions. `region` defaults to the primary.
 */
export function apiRepositoryFor(environment: EnvironmentConfig, region?: RegionConfig): string {
  if (environment.api.imageRepository !== undefined) return environment.api.imageRepository;
  const aws = requireAws(environment, 'the API image URI (or set api.imageRepository)');
  return apiImageRepository(aws.account, (region ?? aws.primary).region);
}

/** Whether the environment runs clusters in several regions (latency routing between them). */
export function isMultiRegion(environment: EnvironmentConfig): boolean {
  return (environment.aws?.extraRegions ?? []).length > 0;
}

/**
 * The names the API's Ingress in `region` serves: `api.hosts` and, in a multi-region environment,
 * each host's regional name (`<region>.<host>`, what that region's Route 53 health check
 * requests). `region` defaults to the primary.
 */
export function ingressHostsFor(
  environment: EnvironmentConfig,
  region?: RegionConfig,
): readonly string[] {
  const { hosts } = environment.api;
  const where = region ?? environment.aws?.primary;
  if (!where || !isMultiRegion(environment)) return hosts;
  return [...hosts, ...hosts.map((h) => regionalHostName(h, where.region))];
}

/**
 * The {@link HaDnsProps} of the environment's cluster stack in `region`: its hosted zone and
 * hosts, with latency routing when the environment spans regions.
 */
export function dnsPropsFor(environment: EnvironmentConfig, region: RegionConfig): HaDnsProps {
  const aws = requireAws(environment, 'DNS records and certificates');
  return {
    zone: aws.dnsZone,
    hosts: environment.api.hosts,
    latency: isMultiRegion(environment) ? { region: region.region } : undefined,
  };
}
