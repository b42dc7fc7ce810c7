import { describe, expect, it } from '@jest/globals';
import { freePort, httpRequest } from '@stayup/harness';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What the Dockerfile's production stage copies is dist/apps/api/ and nothing else. Run exactly
// that, the way the image does: another directory with no node_modules anywhere above it, as
// UID/GID 10001, with the files and the directory read-only to that user.
const runsAsRoot = process.getuid?.() === 0;

describe('the container artifact (dist/apps/api)', () => {
  (runsAsRoot ? it : it.skip)(
    'serves /hello alone, as UID 10001, from a read-only directory',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'stayup-image-'));
      try {
        cpSync('dist/apps/api', dir, { recursive: true });
        for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
        chmodSync(dir, 0o555);
        const port = await freePort();
        const child = spawn(process.execPath, ['main.js'], {
          cwd: dir,
          uid: 10001,
          gid: 10001,
          env: {
            PORT: String(port),
            METRICS_PORT: String(await freePort()),
            SHUTDOWN_DELAY_MS: '0',
            HOME: '/nonexistent',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
        let status = 0;
        for (let i = 0; i < 200 && status !== 200; i++) {
          status = await httpRequest(`http://127.0.0.1:${port}/hello`).then(
            (r) => r.status,
            () => 0,
          );
          if (status !== 200) await new Promise((r) => setTimeout(r, 25));
        }
        expect({ status, stderr }).toEqual({ status: 200, stderr: '' });
        const exited = new Promise<number | null>((r) => child.once('exit', r));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        chmodSync(dir, 0o755);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
