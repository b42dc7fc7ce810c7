import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are plain JSON */

/** Options of {@link writeHelmChart}. */
export interface HelmChartOptions {
  /** Directory to (re)create. */
  readonly directory: string;
  /** Chart name. */
  readonly name: string;
  /** Chart version (SemVer). */
  readonly version: string;
  /** Image repository and tag of the manifests, made overridable as values. */
  readonly image: { readonly repository: string; readonly tag: string };
  /** The synthesized objects, in apply order. */
  readonly objects: readonly any[];
  /** One line for Chart.yaml. */
  readonly description: string;
}

/**
 * Writes a Helm chart (apiVersion v2) from synthesized manifests: one template per object, in
 * apply order, with the container image taken from `values.yaml` (`image.repository`,
 * `image.tag`) so `helm upgrade --set image.tag=…` deploys a new build. Any `{{` already in a
 * manifest is escaped so Helm renders it literally.
 */
export function writeHelmChart(options: HelmChartOptions): void {
  const { directory, image } = options;
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(join(directory, 'templates'), { recursive: true });
  writeFileSync(
    join(directory, 'Chart.yaml'),
    stringify({
      apiVersion: 'v2',
      name: options.name,
      description: options.description,
      type: 'application',
      version: options.version,
      appVersion: image.tag,
    }),
  );
  writeFileSync(
    join(directory, 'values.yaml'),
    `# Values of ${options.name}. Everything else comes from the environment file that generated\n` +
      `# this chart (apps/platform/src/environments); change it there, not here.\n` +
      stringify({ image: { repository: image.repository, tag: image.tag } }),
  );
  const fullImage = `${image.repository}:${image.tag}`;
  options.objects.forEach((object, i) => {
    let text = stringify(object, { lineWidth: 0 }).replaceAll('{{', '{{ "{{" }}');
    text = text.replaceAll(
      `image: ${fullImage}`,
      'image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    );
    const file = `${String(i).padStart(2, '0')}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    writeFileSync(join(directory, 'templates', file), text);
  });
}
