import { DEFAULT_TAGS } from './defaults.js';
import type { EnvironmentConfig, RegionConfig } from './environment.js';

const primary: RegionConfig = {
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.30.0.0/16',
};

/** live: three zones, three replicas at least, AWS's 10-15 s deregistration guidance. */
export const live: EnvironmentConfig = {
  name: 'live',
  aws: {
    account: '333333333333',
    primary,
    extraRegions: [
      {
        region: 'eu-central-1',
        availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
        vpcCidr: '10.31.0.0/16',
      },
    ],
    dnsZone: { name: 'stayup.example.com', id: 'Z0LIVEEXAMPLE000001' },
    natGateways: 'per-zone',
    adminPrincipalArns: ['arn:aws:iam::333333333333:role/stayup-platform-admin'],
    publicEndpointCidrs: [],
    capacity: {
      architectures: ['arm64', 'amd64'],
      capacityTypes: ['on-demand'],
      maxVcpus: 96,
    },
  },
  namespace: 'stayup',
  zones: 3,
  tags: DEFAULT_TAGS,
  api: {
    imageTag: '0.1.0',
    replicas: { min: 3, max: 20 },
    size: 'medium',
    drainDelaySeconds: 15,
    drainTimeoutSeconds: 20,
    logLevel: 'info',
    hosts: ['api.stayup.example.com'],
    // no Prometheus Operator: the alerts are CloudWatch alarms (ClusterStack), not a PrometheusRule
    alerts: false,
  },
};
