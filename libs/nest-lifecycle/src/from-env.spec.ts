import { describe, expect, it } from '@jest/globals';
import { lifecycleOptionsFromEnv } from './from-env.js';
import { resolveLifecycleOptions } from './private/resolve-options.js';

describe('lifecycleOptionsFromEnv', () => {
  it('reads the variables @stayup/k8s-ha sets, and nothing else', () => {
    expect(
      lifecycleOptionsFromEnv({
        SHUTDOWN_DELAY_MS: '15000',
        SHUTDOWN_TIMEOUT_MS: ' 20000 ',
        MAX_CONNECTIONS: '500',
        PORT: '8080',
      }),
    ).toEqual({
      shutdownDelayMs: 15_000,
      shutdownTimeoutMs: 20_000,
      overload: { maxConnections: 500 },
    });
  });

  it('leaves unset and empty variables to the defaults', () => {
    expect(lifecycleOptionsFromEnv({ SHUTDOWN_DELAY_MS: '' })).toEqual({});
    const inPod = { KUBERNETES_SERVICE_HOST: '172.20.0.1' };
    expect(resolveLifecycleOptions(lifecycleOptionsFromEnv(inPod), inPod).shutdownDelayMs).toBe(
      5_000,
    );
  });

  it('lets the module validate the values (a zero timeout is refused there, naming the option)', () => {
    expect(() =>
      resolveLifecycleOptions(lifecycleOptionsFromEnv({ SHUTDOWN_TIMEOUT_MS: '0' })),
    ).toThrow(`'shutdownTimeoutMs' (0)`);
  });

  it.each([
    [
      'SHUTDOWN_DELAY_MS',
      '5s',
      `'SHUTDOWN_DELAY_MS' (5s) must be a whole number: set SHUTDOWN_DELAY_MS=5000, or unset it for the default`,
    ],
    [
      'MAX_EVENT_LOOP_DELAY_MS',
      '-1',
      `'MAX_EVENT_LOOP_DELAY_MS' (-1) must be a whole number: set MAX_EVENT_LOOP_DELAY_MS=200, or unset it for the default`,
    ],
  ])('refuses %s=%s naming the variable and the fix', (name, value, message) => {
    expect(() => lifecycleOptionsFromEnv({ [name]: value })).toThrow(message);
  });
});
