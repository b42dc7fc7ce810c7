import { describe, expect, it } from '@jest/globals';
import { Duration } from 'cdk8s';
import { parseImage } from './container-image.js';
import { DrainTiming } from './drain-timing.js';
import { EnvValue } from './env-value.js';
import { parseQuantity, ResourcePreset } from './resource-preset.js';

describe('parseImage', () => {
  it.each([
    ['nginx:1.27', { repository: 'nginx', tag: '1.27' }],
    ['localhost:5000/api:2.0.0', { repository: 'localhost:5000/api', tag: '2.0.0' }],
    [`r/api@sha256:${'b'.repeat(64)}`, { repository: 'r/api', digest: `sha256:${'b'.repeat(64)}` }],
    [
      `r/api:1.0@sha256:${'c'.repeat(64)}`,
      { repository: 'r/api', tag: '1.0', digest: `sha256:${'c'.repeat(64)}` },
    ],
  ])('parses %s', (image, expected) => {
    expect(parseImage('image', image)).toEqual(expected);
  });

  it.each([
    ['localhost:5000/api', `'image' (localhost:5000/api) must be pinned by a tag or a digest`],
    [
      'r/api@sha256:abc',
      `'image' (r/api@sha256:abc) must have a digest of the form sha256:<64 hex digits>`,
    ],
    ['my image:1', `'image' (my image:1) must be an image reference: e.g. 'registry/app:1.2.3'`],
  ])('refuses %s', (image, message) => {
    expect(() => parseImage('image', image)).toThrow(message);
  });
});

describe('DrainTiming', () => {
  it('defaults to 5 s delay, 10 s timeout, 20 s grace period', () => {
    const d = new DrainTiming();
    expect([d.delayMs, d.timeoutMs, d.gracePeriodSeconds]).toEqual([5000, 10000, 20]);
    expect(d.toEnv()).toEqual({ SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '10000' });
  });

  it('rounds the derived grace period up to whole seconds', () => {
    expect(
      new DrainTiming({ delay: Duration.millis(1500), timeout: Duration.millis(1200) })
        .gracePeriodSeconds,
    ).toBe(8);
  });

  it.each([
    [
      { delay: Duration.minutes(11) },
      `'drain.delay' (11 minutes) must be between 0 and 10 minutes: 5-15 s covers an ALB's deregistration`,
    ],
    [
      { timeout: Duration.millis(500) },
      `'drain.timeout' (500 millis) must be between 1 second and 10 minutes: set it to the longest request the service serves`,
    ],
  ])('refuses %j', (props, message) => {
    expect(() => new DrainTiming(props)).toThrow(message);
  });
});

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

describe('EnvValue', () => {
  it('renders literals and references', () => {
    expect(EnvValue.fromValue('x').toKube('A')).toEqual({ name: 'A', value: 'x' });
    expect(EnvValue.fromSecret('s', 'k').toKube('B')).toEqual({
      name: 'B',
      valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
    });
    expect(EnvValue.fromConfigMap('c', 'k').isLiteral).toBe(false);
  });
});
