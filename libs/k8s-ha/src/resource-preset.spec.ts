import { describe, expect, it } from '@jest/globals';
import { parseQuantity, ResourcePreset } from './resource-preset.js';

describe('ResourcePreset', () => {
  it('has SMALL, MEDIUM and LARGE with requests within limits', () => {
    expect(ResourcePreset.SMALL.resources.requests).toEqual({
      cpu: '100m',
      memory: '128Mi',
      ephemeralStorage: '64Mi',
    });
    expect(ResourcePreset.MEDIUM.resources.limits).toEqual({
      cpu: '1',
      memory: '512Mi',
      ephemeralStorage: '512Mi',
    });
    expect(ResourcePreset.LARGE.resources.limits).toEqual({
      cpu: '2',
      memory: '1Gi',
      ephemeralStorage: '1Gi',
    });
  });

  it('refuses requests above limits', () => {
    expect(() =>
      ResourcePreset.of({
        requests: { cpu: '1', memory: '512Mi', ephemeralStorage: '64Mi' },
        limits: { cpu: '500m', memory: '512Mi', ephemeralStorage: '64Mi' },
      }),
    ).toThrow(
      `'resources.requests.cpu' (1) must not exceed 'resources.limits.cpu' (500m): lower the request or raise the limit`,
    );
  });

  it('parses quantities and refuses nonsense', () => {
    expect(parseQuantity('q', '250m')).toBe(0.25);
    expect(parseQuantity('q', '1Gi')).toBe(2 ** 30);
    expect(parseQuantity('q', '1.5')).toBe(1.5);
    expect(() => parseQuantity('resources.limits.memory', '1 GB')).toThrow(
      `'resources.limits.memory' (1 GB) must be a Kubernetes quantity: e.g. '250m' for cpu, '256Mi' for memory`,
    );
  });
});
