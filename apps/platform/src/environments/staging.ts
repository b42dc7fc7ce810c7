import { API_IMAGE_REPOSITORY, DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig } from './environment.js';

/** staging: live's shape at a smaller scale, so a rollout rehearses the real one. */
export const staging: EnvironmentConfig = {
  name: 'staging',
  namespace: 'stayup',
  zones: 3,
  tags: DEFAULT_TAGS,
  api: {
    imageRepository: API_IMAGE_REPOSITORY,
    imageTag: '0.1.0',
    replicas: { min: 2, max: 6 },
    size: 'small',
    drainDelaySeconds: 10,
    drainTimeoutSeconds: 15,
    logLevel: 'info',
    hosts: ['api.staging.stayup.example.com'],
    alerts: true,
  },
};
