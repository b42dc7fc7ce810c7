import { describe, expect, it } from '@jest/globals';
import { Duration } from 'cdk8s';
import { DrainTiming } from './drain-timing.js';

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
