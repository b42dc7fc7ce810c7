import type { EnvironmentTags } from './environment.js';

/** Shared by every environment; each file overrides what differs. */
export const DEFAULT_TAGS: EnvironmentTags = {
  project: 'stayup',
  owner: 'platform-team',
  costCentre: 'cc-1042',
};

/** Image repository of the API; CI overrides the tag (STAYUP_IMAGE_TAG) at synth time. */
export const API_IMAGE_REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/stayup-api';
