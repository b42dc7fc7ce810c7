import { Chart, Testing } from 'cdk8s';
import { HaDeployment } from '../ha-deployment.js';

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

/** Synthesizes what `build` adds next to an autoscaled HaDeployment named 'api' (tests only). */
export const withDeployment = (
  build: (chart: Chart, d: HaDeployment) => void,
  metricsPort?: number | false,
) =>
  synth((chart) =>
    build(
      chart,
      new HaDeployment(chart, 'd', {
        name: 'api',
        namespace: 'api',
        image: 'r/api:1.0.0',
        metricsPort,
        autoscaled: true,
      }),
    ),
  );
