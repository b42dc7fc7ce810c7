import type { Rule } from '../types.ts';
import { addonCapacity } from './addon-capacity.ts';
import { apiServed } from './api-served.ts';
import { applyOrder } from './apply-order.ts';
import { imageArch } from './image-arch.ts';
import { ingressCertDns } from './ingress-cert-dns.ts';
import { kubectlAccess } from './kubectl-access.ts';
import { metricsScraped } from './metrics-scraped.ts';
import { regionIndependence } from './region-independence.ts';
import { rolloutGates } from './rollout-gates.ts';

/** Every rule, in the order a first deploy would meet its failure. */
export const RULES: readonly Rule[] = [
  kubectlAccess,
  apiServed,
  applyOrder,
  addonCapacity,
  imageArch,
  ingressCertDns,
  regionIndependence,
  rolloutGates,
  metricsScraped,
];
