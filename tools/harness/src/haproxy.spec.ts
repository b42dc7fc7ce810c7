import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findHaproxy, haproxyConfig } from './haproxy.js';

const haproxy = findHaproxy();

describe('haproxyConfig', () => {
  const config = haproxyConfig(
    {
      port: 8000,
      servers: [
        { name: 'api-0', port: 8001 },
        { name: 'api-1', port: 8002 },
      ],
    },
    '/tmp/admin.sock',
  );

  it('health-checks GET /ready like an ALB target group and never retries', () => {
    expect(config).toContain('  http-check send meth GET uri /ready');
    expect(config).toContain('  http-check expect status 200');
    expect(config).toContain('  retries 0');
    expect(config).toContain(
      '  default-server inter 250ms fastinter 250ms downinter 250ms fall 2 rise 2',
    );
    expect(config).toContain('  server api-1 127.0.0.1:8002 check');
  });

  (haproxy || process.env.CI ? it : it.skip)('is accepted by haproxy -c', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stayup-haproxy-spec-'));
    writeFileSync(join(dir, 'haproxy.cfg'), config);
    const check = spawnSync(haproxy ?? 'haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], {
      encoding: 'utf8',
    });
    expect(check.stderr + check.stdout).toContain('Configuration file is valid');
    expect(check.status).toBe(0);
  });
});
