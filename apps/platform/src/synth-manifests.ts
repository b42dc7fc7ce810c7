import { App } from 'cdk8s';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { API_NAME, ApiChart } from './api-chart.js';
import { apiRepositoryFor } from './environments/aws.js';
import type { EnvironmentConfig } from './environments/index.js';
import { writeHelmChart } from './helm-chart.js';

/** Where the outputs go (a contract other tools rely on). */
export const MANIFESTS_DIR = 'dist/manifests';
export const HELM_DIR = 'dist/helm';

/**
 * Writes, for each environment, the API's manifests as plain YAML
 * (`dist/manifests/<env>/stayup-api.yaml`, for kubectl or GitOps) and as a Helm chart
 * (`dist/helm/<env>/stayup-api/`). `imageTag` overrides the environment files' tags.
 */
export function synthManifests(
  environments: readonly EnvironmentConfig[],
  imageTag?: string,
): string[] {
  const written: string[] = [];
  for (const environment of environments) {
    const app = new App();
    const chart = new ApiChart(app, API_NAME, { environment, imageTag });
    const objects = chart.toJson();
    const dir = join(MANIFESTS_DIR, environment.name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${API_NAME}.yaml`);
    writeFileSync(file, objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
    const tag = imageTag ?? environment.api.imageTag;
    writeHelmChart({
      directory: join(HELM_DIR, environment.name, API_NAME),
      name: API_NAME,
      version: '0.1.0',
      description: `The stayup API, highly available, for the ${environment.name} environment.`,
      image: { repository: apiRepositoryFor(environment), tag },
      objects,
    });
    written.push(file, join(HELM_DIR, environment.name, API_NAME));
  }
  return written;
}
