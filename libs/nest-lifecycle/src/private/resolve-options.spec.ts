import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_RETRY_AFTER_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
} from '../lifecycle.constants.js';
import { resolveLifecycleOptions } from './resolve-options.js';

describe('resolveLifecycleOptions', () => {
  const IN_KUBERNETES = { KUBERNETES_SERVICE_HOST: '172.20.0.1' };

  it('applies the documented defaults', () => {
    expect(resolveLifecycleOptions({}, IN_KUBERNETES)).toEqual({
      shutdownDelayMs: 5_000,
      detectKubernetes: true,
      localMode: false,
      shutdownTimeoutMs: 10_000,
      signals: ['SIGTERM', 'SIGINT'],
      keepAliveTimeoutMs: 65_000,
      headersTimeoutMs: 66_000,
      requestTimeoutMs: 120_000,
      readinessIndicators: [],
      exitProcess: true,
      closeKeepAliveWhileDraining: true,
      overload: {
        maxInFlightRequests: 1024,
        maxConnections: 10_000,
        maxEventLoopDelayMs: 200,
        retryAfterSeconds: 1,
      },
    });
    expect([
      DEFAULT_SHUTDOWN_DELAY_MS,
      DEFAULT_SHUTDOWN_TIMEOUT_MS,
      DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      DEFAULT_HEADERS_TIMEOUT_MS,
      DEFAULT_REQUEST_TIMEOUT_MS,
    ]).toEqual([5_000, 10_000, 65_000, 66_000, 120_000]);
  });

  it('keeps the keep-alive timeout above the ALB idle timeout of 60 s', () => {
    expect(resolveLifecycleOptions().keepAliveTimeoutMs).toBeGreaterThan(60_000);
  });

  it('lets every option be overridden, a zero delay included', () => {
    const indicator = async () => ({ db: { status: 'up' as const } });
    expect(
      resolveLifecycleOptions({
        shutdownDelayMs: 0,
        shutdownTimeoutMs: 1,
        signals: ['SIGUSR2'],
        keepAliveTimeoutMs: 5_000,
        headersTimeoutMs: 6_000,
        requestTimeoutMs: 6_000,
        readinessIndicators: [indicator],
        exitProcess: false,
        closeKeepAliveWhileDraining: false,
        detectKubernetes: false,
        overload: { maxInFlightRequests: 8, maxEventLoopDelayMs: 0 },
      }),
    ).toEqual({
      shutdownDelayMs: 0,
      detectKubernetes: false,
      localMode: false,
      shutdownTimeoutMs: 1,
      signals: ['SIGUSR2'],
      keepAliveTimeoutMs: 5_000,
      headersTimeoutMs: 6_000,
      requestTimeoutMs: 6_000,
      readinessIndicators: [indicator],
      exitProcess: false,
      closeKeepAliveWhileDraining: false,
      overload: {
        maxInFlightRequests: 8,
        maxConnections: DEFAULT_MAX_CONNECTIONS,
        maxEventLoopDelayMs: 0,
        retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
      },
    });
    expect(resolveLifecycleOptions({ overload: false }).overload).toBe(false);
  });

  it.each([
    [
      { overload: { maxInFlightRequests: 0 } },
      `'overload.maxInFlightRequests' (0) must be a whole number from 1: pass e.g. maxInFlightRequests: 1024, or overload: false to turn load shedding off`,
    ],
    [
      { overload: { maxEventLoopDelayMs: 0.5 } },
      `'overload.maxEventLoopDelayMs' (0.5) must be a whole number from 0: pass e.g. maxEventLoopDelayMs: 200, or 0 to turn this bound off, or overload: false to turn load shedding off`,
    ],
    [
      { shutdownDelayMs: -1 },
      `'shutdownDelayMs' (-1) must be an integer number of milliseconds between 0 and 2147483647: pass a whole number of milliseconds, e.g. shutdownDelayMs: 5000`,
    ],
    [
      { shutdownDelayMs: 1.5 },
      `'shutdownDelayMs' (1.5) must be an integer number of milliseconds between 0 and 2147483647: pass a whole number of milliseconds, e.g. shutdownDelayMs: 5000`,
    ],
    [
      { shutdownTimeoutMs: 0 },
      `'shutdownTimeoutMs' (0) must be an integer number of milliseconds between 1 and 2147483647: pass a whole number of milliseconds, e.g. shutdownTimeoutMs: 5000`,
    ],
    [
      { keepAliveTimeoutMs: 2 ** 31 },
      `'keepAliveTimeoutMs' (2147483648) must be an integer number of milliseconds between 1 and 2147483647: pass a whole number of milliseconds, e.g. keepAliveTimeoutMs: 5000`,
    ],
    [
      { headersTimeoutMs: 65_000 },
      `'headersTimeoutMs' (65000) must be greater than 'keepAliveTimeoutMs' (65000): raise headersTimeoutMs or lower keepAliveTimeoutMs`,
    ],
    [
      { requestTimeoutMs: 60_000 },
      `'requestTimeoutMs' (60000) must be at least 'headersTimeoutMs' (66000): Node refuses a request timeout shorter than the headers timeout`,
    ],
    [
      { signals: [] },
      `'signals' ([]) must name at least one signal: keep the default ['SIGTERM', 'SIGINT'] or list the signals your supervisor sends`,
    ],
  ])('refuses %j', (options, message) => {
    expect(() => resolveLifecycleOptions(options)).toThrow(message);
  });

  it('defaults the delay to 0 outside Kubernetes, like lightship, unless told otherwise', () => {
    // Issue 13: `nest start --watch` restarted only after the old process's 5 s delay (the CLI
    // waits for the old child's exit before spawning the new one: nestjs/nest-cli
    // actions/start.action.ts). Like lightship's local mode (gajus/lightship
    // src/utilities/isKubernetes.ts reads KUBERNETES_SERVICE_HOST; README "Local-mode": the
    // delay defaults to 0), the delay defaults to 0 outside Kubernetes. Pods made by
    // @stayup/k8s-ha get SHUTDOWN_DELAY_MS explicitly, so they never depend on the detection.
    // Pods see the API server's Service as KUBERNETES_SERVICE_HOST/_PORT
    // (https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/).
    const delay = (options: object, env: object) =>
      resolveLifecycleOptions(options, env as NodeJS.ProcessEnv).shutdownDelayMs;
    expect(delay({}, {})).toBe(0);
    expect(resolveLifecycleOptions({}, {}).localMode).toBe(true);
    expect(delay({}, IN_KUBERNETES)).toBe(5_000);
    expect(delay({ shutdownDelayMs: 3_000 }, {})).toBe(3_000);
    expect(delay({ detectKubernetes: false }, {})).toBe(5_000);
  });
});
