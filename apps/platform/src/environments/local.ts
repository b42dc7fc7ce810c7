import { DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig } from './environment.js';

/** local: a kind or minikube cluster; no ALB (port-forward the Service), image loaded locally. */
export const local: EnvironmentConfig = {
  name: 'local',
  namespace: 'stayup',
  zones: 1,
  tags: DEFAULT_TAGS,
  api: {
    imageRepository: 'stayup-api',
    // the image exists only where `kind load docker-image` put it: never ask a registry
    imagePullPolicy: 'Never',
    imageTag: 'local',
    replicas: { min: 2, max: 3 },
    size: 'small',
    drainDelaySeconds: 2,
    drainTimeoutSeconds: 5,
    logLevel: 'debug',
    hosts: [],
    alerts: false,
  },
};
