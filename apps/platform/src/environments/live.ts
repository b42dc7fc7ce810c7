import { API_IMAGE_REPOSITORY, DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig } from './environment.js';

/** live: three zones, three replicas at least, AWS's 10-15 s deregistration guidance. */
export const live: EnvironmentConfig = {
  name: 'live',
  namespace: 'stayup',
  zones: 3,
  tags: DEFAULT_TAGS,
  api: {
    imageRepository: API_IMAGE_REPOSITORY,
    imageTag: '0.1.0',
    replicas: { min: 3, max: 20 },
    size: 'medium',
    drainDelaySeconds: 15,
    drainTimeoutSeconds: 20,
    logLevel: 'info',
    hosts: ['api.stayup.example.com'],
    alerts: true,
  },
};
