import { DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig, RegionConfig } from './environment.js';

const primary: RegionConfig = {
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  vpcCidr: '10.10.0.0/16',
};

/** dev: small pods and the shortest drain an ALB allows (10 s); still two replicas, so every deploy rehearses a rolling update. */
export const dev: EnvironmentConfig = {
  name: 'dev',
  aws: {
    account: '111111111111',
    primary,
    dnsZone: { name: 'dev.stayup.example.com', id: 'Z0DEVEXAMPLE0000001' },
    natGateways: 'single',
    adminPrincipalArns: [
      'arn:aws:iam::111111111111:role/stayup-platform-admin',
      'arn:aws:iam::111111111111:role/stayup-developer',
    ],
    publicEndpointCidrs: ['203.0.113.0/24'],
    capacity: {
      architectures: ['arm64', 'amd64'],
      capacityTypes: ['spot', 'on-demand'],
      maxVcpus: 16,
    },
  },
  namespace: 'stayup',
  zones: 2,
  tags: DEFAULT_TAGS,
  api: {
    imageTag: '0.1.0',
    replicas: { min: 2, max: 4 },
    size: 'small',
    drainDelaySeconds: 10,
    drainTimeoutSeconds: 10,
    logLevel: 'debug',
    hosts: ['api.dev.stayup.example.com'],
    alerts: false,
  },
};
