import { DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig, RegionConfig } from './environment.js';

const primary: RegionConfig = {
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.20.0.0/16',
};

/** staging: live's shape at a smaller scale, so a rollout rehearses the real one. */
export const staging: EnvironmentConfig = {
  name: 'staging',
  aws: {
    account: '222222222222',
    primary,
    dnsZone: { name: 'staging.stayup.example.com', id: 'Z0STAGINGEXAMPLE001' },
    natGateways: 'single',
    adminPrincipalArns: ['arn:aws:iam::222222222222:role/stayup-platform-admin'],
    publicEndpointCidrs: ['203.0.113.0/24'],
    capacity: {
      architectures: ['arm64', 'amd64'],
      capacityTypes: ['on-demand'],
      maxVcpus: 32,
    },
  },
  namespace: 'stayup',
  zones: 3,
  tags: DEFAULT_TAGS,
  api: {
    imageTag: '0.1.0',
    replicas: { min: 2, max: 6 },
    size: 'small',
    drainDelaySeconds: 10,
    drainTimeoutSeconds: 15,
    logLevel: 'info',
    hosts: ['api.staging.stayup.example.com'],
    // no Prometheus Operator: the alerts are CloudWatch alarms (ClusterStack), not a PrometheusRule
    alerts: false,
  },
};
