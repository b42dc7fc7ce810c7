import { API_IMAGE_REPOSITORY, DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig } from './environment.js';

/** dev: small pods and a short drain; still two replicas, so every deploy rehearses a rolling update. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  namespace: 'stayup',
  zones: 2,
  tags: DEFAULT_TAGS,
  api: {
    imageRepository: API_IMAGE_REPOSITORY,
    imageTag: '0.1.0',
    replicas: { min: 2, max: 4 },
    size: 'small',
    drainDelaySeconds: 5,
    drainTimeoutSeconds: 10,
    logLevel: 'debug',
    hosts: ['api.dev.stayup.example.com'],
    alerts: false,
  },
};
