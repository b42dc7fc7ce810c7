import { describe, expect, it } from '@jest/globals';
import { CONFIG_DEFAULTS, ConfigError, loadConfig } from './api-config.js';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadConfig({}, { cpuLimit: () => undefined })).toEqual({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 10000,
      warmupRequests: 0,
      metricsPort: 9464,
      corsOrigins: [],
      overload: { maxInFlightRequests: 1024, maxConnections: 10000, maxEventLoopDelayMs: 200 },
    });
    expect(CONFIG_DEFAULTS).toEqual({
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      WARMUP_REQUESTS: '0',
      METRICS_PORT: '9464',
      CORS_ORIGINS: '',
      MAX_IN_FLIGHT_REQUESTS: '1024',
      MAX_CONNECTIONS: '10000',
      MAX_EVENT_LOOP_DELAY_MS: '200',
    });
  });

  it('reads every variable, trimming spaces and ignoring case in LOG_LEVEL', () => {
    expect(
      loadConfig({
        PORT: ' 3000 ',
        HOST: '::1',
        LOG_LEVEL: 'DEBUG',
        SHUTDOWN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '30000',
        WARMUP_REQUESTS: '500',
        METRICS_PORT: '9100',
        CORS_ORIGINS: 'https://app.example.com, http://localhost:3000',
        MAX_IN_FLIGHT_REQUESTS: '64',
        MAX_CONNECTIONS: '2000',
        MAX_EVENT_LOOP_DELAY_MS: '0',
      }),
    ).toEqual({
      port: 3000,
      host: '::1',
      logLevel: 'debug',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 30000,
      warmupRequests: 500,
      metricsPort: 9100,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      overload: { maxInFlightRequests: 64, maxConnections: 2000, maxEventLoopDelayMs: 0 },
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ' })).toMatchObject({
      port: 8080,
      logLevel: 'info',
    });
  });

  it('accepts host names', () => {
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: 'api.internal.example' }).host).toBe('api.internal.example');
  });

  it.each([
    [
      'PORT',
      'abc',
      `'PORT' (abc) must be an integer from 1 to 65535: set PORT=8080, or unset it for the default 8080`,
    ],
    [
      'PORT',
      '0',
      `'PORT' (0) must be an integer from 1 to 65535: set PORT=8080, or unset it for the default 8080`,
    ],
    [
      'PORT',
      '70000',
      `'PORT' (70000) must be an integer from 1 to 65535: set PORT=8080, or unset it for the default 8080`,
    ],
    [
      'PORT',
      '80.5',
      `'PORT' (80.5) must be an integer from 1 to 65535: set PORT=8080, or unset it for the default 8080`,
    ],
    [
      'HOST',
      'not a host!',
      `'HOST' (not a host!) must be an IP address or a host name: set HOST=0.0.0.0 to listen on every interface, or HOST=127.0.0.1 for this machine only`,
    ],
    [
      'LOG_LEVEL',
      'loud',
      `'LOG_LEVEL' (loud) must be one of fatal, error, warn, info, debug, trace, silent: set LOG_LEVEL=info, or unset it for the default`,
    ],
    [
      'SHUTDOWN_DELAY_MS',
      '-1',
      `'SHUTDOWN_DELAY_MS' (-1) must be an integer from 0 to 600000: set SHUTDOWN_DELAY_MS=5000, or unset it for the default 5000`,
    ],
    [
      'SHUTDOWN_DELAY_MS',
      '5s',
      `'SHUTDOWN_DELAY_MS' (5s) must be an integer from 0 to 600000: set SHUTDOWN_DELAY_MS=5000, or unset it for the default 5000`,
    ],
    [
      'SHUTDOWN_TIMEOUT_MS',
      '0',
      `'SHUTDOWN_TIMEOUT_MS' (0) must be an integer from 1 to 600000: set SHUTDOWN_TIMEOUT_MS=10000, or unset it for the default 10000`,
    ],
    [
      'METRICS_PORT',
      '8080',
      `'METRICS_PORT' (8080) must differ from 'PORT' (8080): metrics are served on their own port so the public load balancer never exposes them; unset it for the default 9464`,
    ],
    [
      'CORS_ORIGINS',
      '*',
      `'CORS_ORIGINS' (*) must be a comma-separated list of origins like https://app.example.com (scheme, host, optional port; no path, no '*'): fix or unset it`,
    ],
    [
      'WARMUP_REQUESTS',
      'lots',
      `'WARMUP_REQUESTS' (lots) must be an integer from 0 to 1000000: set WARMUP_REQUESTS=1000, or unset it for the default 0`,
    ],
    [
      'MAX_IN_FLIGHT_REQUESTS',
      '0',
      `'MAX_IN_FLIGHT_REQUESTS' (0) must be an integer from 1 to 1000000: set MAX_IN_FLIGHT_REQUESTS=1024, or unset it for the default 1024`,
    ],
    [
      'MAX_CONNECTIONS',
      'many',
      `'MAX_CONNECTIONS' (many) must be an integer from 1 to 1000000: set MAX_CONNECTIONS=10000, or unset it for the default 10000`,
    ],
    [
      'MAX_EVENT_LOOP_DELAY_MS',
      '0.5',
      `'MAX_EVENT_LOOP_DELAY_MS' (0.5) must be an integer from 0 to 60000: set MAX_EVENT_LOOP_DELAY_MS=200, or unset it for the default 200`,
    ],
  ])('refuses %s=%s naming the variable, the value and what is allowed', (name, value, message) => {
    expect(() => loadConfig({ [name]: value }, { cpuLimit: () => undefined })).toThrow(message);
  });

  it('reports every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(2);
    expect((error as ConfigError).message).toBe(
      `invalid configuration:\n` +
        `  'PORT' (x) must be an integer from 1 to 65535: set PORT=8080, or unset it for the default 8080\n` +
        `  'LOG_LEVEL' (y) must be one of fatal, error, warn, info, debug, trace, silent: set LOG_LEVEL=info, or unset it for the default`,
    );
  });
});
