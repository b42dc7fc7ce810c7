import type { EnvironmentTags } from './environment.js';

/** Shared by every environment; each file overrides what differs. */
export const DEFAULT_TAGS: EnvironmentTags = {
  project: 'stayup',
  owner: 'platform-team',
  costCentre: 'cc-1042',
};

/**
 * The API's image repository in an environment's account (created by its delivery stack); CI
 * pushes there and sets the tag (STAYUP_IMAGE_TAG) at synth time.
 */
export function apiImageRepository(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com/stayup-api`;
}
