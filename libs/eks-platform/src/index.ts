export * from './cluster-autoscaler.js';
export * from './ha-eks-cluster.js';
export * from './ha-vpc.js';
export * from './nag-acknowledgements.js';
