import { describe, expect, it } from '@jest/globals';
import {
  ALB_IDLE_TIMEOUT_MS,
  DEFAULT_HTTP_PORT,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_METRICS_PORT,
  DEFAULT_SHUTDOWN_DELAY_MS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DERIVED_ENV,
  LIVENESS_PATH,
  MAX_PORT,
  MAX_SHUTDOWN_MS,
  READINESS_PATH,
  RUN_AS_UID,
  SECRET_NAME,
  ServiceEnv,
} from './index.js';

// The relations the rest of the repository relies on; the values themselves are asserted where
// they are used (the API's config, the constructs' manifests, the Dockerfile).
describe('the contract', () => {
  it('keeps the app keep-alive above the ALB idle timeout', () => {
    expect(DEFAULT_KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(ALB_IDLE_TIMEOUT_MS);
  });

  it('serves metrics on a port of their own', () => {
    expect(DEFAULT_METRICS_PORT).not.toBe(DEFAULT_HTTP_PORT);
    for (const port of [DEFAULT_HTTP_PORT, DEFAULT_METRICS_PORT]) {
      expect(port).toBeGreaterThan(1024); // no privilege needed to bind it as UID 10001
      expect(port).toBeLessThanOrEqual(MAX_PORT);
    }
  });

  it('has two different absolute probe paths', () => {
    expect(READINESS_PATH).toMatch(/^\/[a-z]+$/);
    expect(LIVENESS_PATH).toMatch(/^\/[a-z]+$/);
    expect(READINESS_PATH).not.toBe(LIVENESS_PATH);
  });

  it('has drain defaults within the cap', () => {
    expect(DEFAULT_SHUTDOWN_DELAY_MS).toBeLessThanOrEqual(MAX_SHUTDOWN_MS);
    expect(DEFAULT_SHUTDOWN_TIMEOUT_MS).toBeLessThanOrEqual(MAX_SHUTDOWN_MS);
  });

  it('runs as a non-root user', () => {
    expect(RUN_AS_UID).toBeGreaterThanOrEqual(10_000);
  });

  it('derives only variables the service reads, and none that looks like a secret', () => {
    expect(Object.values(ServiceEnv)).toEqual(expect.arrayContaining([...DERIVED_ENV]));
    for (const name of Object.values(ServiceEnv)) expect(name).not.toMatch(SECRET_NAME);
    expect(new Set(Object.values(ServiceEnv)).size).toBe(Object.values(ServiceEnv).length);
  });

  it('recognises secret-looking names', () => {
    for (const name of [
      'DB_PASSWORD',
      'api_key',
      'GITHUB_TOKEN',
      'AWS_ACCESS_KEY_ID',
      'CREDENTIALS',
    ]) {
      expect(name).toMatch(SECRET_NAME);
    }
    expect('LOG_LEVEL').not.toMatch(SECRET_NAME);
  });
});
