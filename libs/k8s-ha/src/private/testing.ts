import { Chart, Testing } from 'cdk8s';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized manifests are plain JSON */

/** Builds a chart with `build`, synthesizes it, and returns the objects (tests only). */
export function synth(build: (chart: Chart) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart);
}

/** The one object of `kind` in `objects`. */
export function only(objects: any[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}
