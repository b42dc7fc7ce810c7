import { k8s } from 'cdk8s-plus-28';

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Requests and limits for cpu, memory and ephemeral storage, in Kubernetes quantities. */
export interface ContainerResources {
  /** e.g. `{ cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' }` */
  readonly requests: ResourceAmounts;
  /** e.g. `{ cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' }` */
  readonly limits: ResourceAmounts;
}

/** An amount of each resource. */
export interface ResourceAmounts {
  /** CPU, e.g. `'250m'` or `'1'`. */
  readonly cpu: string;
  /** Memory, e.g. `'256Mi'`. */
  readonly memory: string;
  /** Ephemeral storage (logs, emptyDir without a medium, the writable layer), e.g. `'64Mi'`. */
  readonly ephemeralStorage: string;
}

/**
 * Named sizes. Requests are what the scheduler reserves and what the HPA's utilisation is measured
 * against; memory limits stop a leak before it takes the node; cpu limits are set generously
 * (5× the request for SMALL) so throttling stays rare while a runaway pod cannot starve its
 * neighbours.
 */
export class ResourcePreset {
  /** 100m / 128Mi requested; 500m / 256Mi limit. */
  static readonly SMALL = new ResourcePreset('small', {
    requests: { cpu: '100m', memory: '128Mi', ephemeralStorage: '64Mi' },
    limits: { cpu: '500m', memory: '256Mi', ephemeralStorage: '256Mi' },
  });

  /** 250m / 256Mi requested; 1 / 512Mi limit. */
  static readonly MEDIUM = new ResourcePreset('medium', {
    requests: { cpu: '250m', memory: '256Mi', ephemeralStorage: '128Mi' },
    limits: { cpu: '1', memory: '512Mi', ephemeralStorage: '512Mi' },
  });

  /** 500m / 512Mi requested; 2 / 1Gi limit. */
  static readonly LARGE = new ResourcePreset('large', {
    requests: { cpu: '500m', memory: '512Mi', ephemeralStorage: '256Mi' },
    limits: { cpu: '2', memory: '1Gi', ephemeralStorage: '1Gi' },
  });

  /** Custom requests and limits; each request must not exceed its limit. */
  static of(resources: ContainerResources): ResourcePreset {
    return new ResourcePreset('custom', resources);
  }

  private constructor(
    /** `small`, `medium`, `large` or `custom`. */
    readonly name: string,
    /** The requests and limits. */
    readonly resources: ContainerResources,
  ) {
    for (const key of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const request = parseQuantity(`resources.requests.${key}`, resources.requests[key]);
      const limit = parseQuantity(`resources.limits.${key}`, resources.limits[key]);
      if (request > limit) {
        throw new Error(
          `'resources.requests.${key}' (${resources.requests[key]}) must not exceed ` +
            `'resources.limits.${key}' (${resources.limits[key]}): lower the request or raise the limit`,
        );
      }
    }
  }

  /** The Kubernetes `resources` block. */
  toKube(): k8s.ResourceRequirements {
    const amounts = (a: ResourceAmounts) => ({
      cpu: k8s.Quantity.fromString(a.cpu),
      memory: k8s.Quantity.fromString(a.memory),
      'ephemeral-storage': k8s.Quantity.fromString(a.ephemeralStorage),
    });
    return { requests: amounts(this.resources.requests), limits: amounts(this.resources.limits) };
  }
}

/** Parses a Kubernetes quantity (`250m`, `1.5`, `128Mi`, `1G`) into a number. */
export function parseQuantity(path: string, quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!match) {
    throw new Error(
      `'${path}' (${quantity}) must be a Kubernetes quantity: e.g. '250m' for cpu, '256Mi' for memory`,
    );
  }
  return Number(match[1]) * SUFFIX[match[2] ?? ''];
}
