import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findContractLiterals } from './contract-literals.js';

// Point 1 of the "one contract" rule: ports, probe paths, environment variable names, drain
// limits, the keep-alive/idle timeouts and the UID are written once, in libs/contract, and
// imported everywhere else; changing one is one edit. Tests may restate them (a test asserting
// the manifest says 8080 is the point); non-test sources may not.

/** Non-test sources: libraries, apps, tools and scripts, without tests (`*.spec.ts`), test data
 * (`*.fixture.ts`), the test configs, the end-to-end suites, these checks, and the consumer
 * projects (other people's code, written as a user writes it, from the published packages). */
function nonTestSources(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|mts|mjs|js)$/.test(f))
    .filter((f) => !f.startsWith('libs/contract/'))
    .filter((f) => !/\.(spec|fixture)\.ts$/.test(f) && !/(^|\/)(jest|eslint)\.config\.mjs$/.test(f))
    .filter((f) => !f.startsWith('apps/api-e2e/') && !f.startsWith('tools/repo-checks/'))
    .filter((f) => !f.startsWith('tools/consumers/projects/'))
    .filter((f) => !f.endsWith('/private/testing.ts'));
}

describe('contract literals', () => {
  it('appear in no non-test source outside libs/contract', () => {
    const files = nonTestSources();
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      findContractLiterals(file, readFileSync(file, 'utf8')).map(
        (l) => `${l.file}:${l.line} ${l.text} (import ${l.constant} from @stayup/contract)`,
      ),
    );
    expect(found).toEqual([]);
  });

  it('are found in code: numbers, env names, probe paths, env properties', () => {
    const source = `
      const port = 8_080;
      const uid = 10001;
      const env = { PORT: '1', ['SHUTDOWN_DELAY_MS']: '0' };
      const level = process.env.LOG_LEVEL;
      const name = 'METRICS_PORT';
      fetch(\`\${url}/ready?x=1\`);
      const check = '/alive';
    `;
    expect(findContractLiterals('fixture.ts', source).map((l) => [l.line, l.constant])).toEqual([
      [2, 'DEFAULT_HTTP_PORT'],
      [3, 'RUN_AS_UID'],
      [4, 'ServiceEnv.port'],
      [4, 'ServiceEnv.shutdownDelayMs'],
      [5, 'ServiceEnv.logLevel'],
      [6, 'ServiceEnv.metricsPort'],
      [7, 'READINESS_PATH'],
      [8, 'LIVENESS_PATH'],
    ]);
  });

  it('are not found in comments, in longer words or in other names', () => {
    const source = `
      // listens on 8080, probes /ready and /alive, sets SHUTDOWN_DELAY_MS
      /** @default 9464 */
      const a = 18080 + 80;
      const b = '/readyz' + '/already' + 'REPORT' + 'ready' + 'alive';
      const PORT_RANGE = 'PORT_RANGE';
      const message = \`set PORT=\${port} in the environment\`;
    `;
    expect(findContractLiterals('fixture.ts', source)).toEqual([]);
  });
});
