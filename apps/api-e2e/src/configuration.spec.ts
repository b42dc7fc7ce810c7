import { describe, expect, it } from '@jest/globals';
import { ApiProcess, freePort } from '@stayup/harness';

describe('configuration from the environment', () => {
  it.each([
    ['PORT', 'abc', `'PORT' (abc) must be an integer from 1 to 65535`],
    [
      'LOG_LEVEL',
      'chatty',
      `'LOG_LEVEL' (chatty) must be one of fatal, error, warn, info, debug, trace, silent`,
    ],
    ['SHUTDOWN_DELAY_MS', '5s', `'SHUTDOWN_DELAY_MS' (5s) must be an integer from 0 to 600000`],
    ['SHUTDOWN_TIMEOUT_MS', '-1', `'SHUTDOWN_TIMEOUT_MS' (-1) must be an integer from 1 to 600000`],
    ['HOST', 'not a host', `'HOST' (not a host) must be an IP address or a host name`],
  ])(
    '%s=%s stops the process with exit code 1, naming the variable',
    async (name, value, message) => {
      const api = await ApiProcess.start({ port: await freePort(), env: { [name]: value } });
      const exit = await api.waitForExit(10_000);
      expect(exit.code).toBe(1);
      expect(api.stderr.join('\n')).toContain(message);
      expect(api.stdout.join('\n')).not.toContain('listening');
    },
  );

  it('reports every invalid variable at once', async () => {
    const api = await ApiProcess.start({
      port: await freePort(),
      env: { LOG_LEVEL: 'x', SHUTDOWN_DELAY_MS: 'y' },
    });
    expect((await api.waitForExit(10_000)).code).toBe(1);
    const [record] = api.stderr.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(record.level).toBe('fatal');
    expect(record.msg).toContain(`'LOG_LEVEL' (x)`);
    expect(record.msg).toContain(`'SHUTDOWN_DELAY_MS' (y)`);
  });

  it('a port already in use stops the process with exit code 1', async () => {
    const first = await ApiProcess.start({
      port: await freePort(),
      env: { SHUTDOWN_DELAY_MS: '0' },
    });
    await first.waitForReady();
    const second = await ApiProcess.start({ port: first.port });
    expect((await second.waitForExit(10_000)).code).toBe(1);
    expect(second.stderr.join('\n')).toContain('EADDRINUSE');
    first.kill('SIGTERM');
    expect((await first.waitForExit()).code).toBe(0);
  });
});
