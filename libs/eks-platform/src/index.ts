export * from './auto-mode-compute.js';
export * from './cluster-observability.js';
export * from './eks-image-registry.js';
export * from './ha-dns.js';
export * from './ha-eks-cluster.js';
export * from './ha-vpc.js';
export * from './load-balancer-controller.js';
export * from './nag-acknowledgements.js';
