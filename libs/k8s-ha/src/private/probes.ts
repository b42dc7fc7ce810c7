import { k8s } from 'cdk8s-plus-28';
import {
  DEFAULT_LIVENESS_PROBE_PATH,
  DEFAULT_PROBE_PORT,
  DEFAULT_PROBE_TIMEOUT_SECONDS,
  DEFAULT_PROBE_TIMINGS,
  DEFAULT_READINESS_PROBE_PATH,
  type ProbeTiming,
} from '../ha-deployment-defaults.js';
import type { ExecProbes, NoProbes, ProbePaths, WorkloadProbes } from '../probes.js';
import { checkHttpPath } from './validation.js';

/** Probes after defaults and checks. */
export type ResolvedProbes =
  | {
      readonly kind: 'http';
      readonly paths: Required<Omit<ProbePaths, 'port'>>;
      readonly port: 'http' | 'metrics';
    }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'none'; readonly reason: string };

const isExec = (p: WorkloadProbes | undefined): p is ExecProbes => !!p && 'exec' in p;
const isNone = (p: WorkloadProbes | undefined): p is NoProbes => !!p && 'none' in p;

/**
 * Applies the defaults and refuses what cannot work: HTTP probes without an HTTP port, command
 * probes on an HTTP server (whose readiness must follow its drain), readiness equal to liveness
 * (the kubelet would kill draining pods), a metrics-port probe without a metrics port.
 */
export function resolveProbes(
  probes: WorkloadProbes | undefined,
  httpPort: number | undefined,
  metricsPort: number | undefined,
): ResolvedProbes {
  if (httpPort === undefined) {
    if (isExec(probes)) {
      if (
        probes.exec.length === 0 ||
        probes.exec.some((arg) => typeof arg !== 'string' || arg === '')
      ) {
        throw new Error(
          `'probes.exec' (${JSON.stringify(probes.exec)}) must be a non-empty command of non-empty ` +
            `arguments: e.g. ['node', 'dist/healthcheck.js']`,
        );
      }
      return { kind: 'exec', command: [...probes.exec] };
    }
    if (isNone(probes)) {
      if (probes.none.trim().length === 0) {
        throw new Error(
          `'probes.none' ('') must say why the workload has no probes: a hung pod is never ` +
            `restarted without them, e.g. none: 'stateless cron-like consumer; queue-age alert pages'`,
        );
      }
      return { kind: 'none', reason: probes.none.trim() };
    }
    throw new Error(
      `'probes' (${probes ? JSON.stringify(probes) : 'HTTP by default'}) must be { exec: [...] } or ` +
        `{ none: '<reason>' } when 'port' is false: there is no HTTP server to probe; e.g. ` +
        `probes: { exec: ['node', 'dist/healthcheck.js'] }`,
    );
  }
  if (isExec(probes) || isNone(probes)) {
    throw new Error(
      `'probes' (${JSON.stringify(probes)}) must be HTTP paths for a workload with an HTTP 'port': ` +
        `its readiness must go down while it drains; set port: false for a worker`,
    );
  }
  const liveness = probes?.liveness ?? DEFAULT_LIVENESS_PROBE_PATH;
  const paths = {
    readiness: probes?.readiness ?? DEFAULT_READINESS_PROBE_PATH,
    liveness,
    startup: probes?.startup ?? liveness,
  };
  for (const [kind, path] of Object.entries(paths)) checkHttpPath(`probes.${kind}`, path);
  if (paths.readiness === paths.liveness) {
    throw new Error(
      `'probes.liveness' (${liveness}) must differ from 'probes.readiness' (${paths.readiness}): ` +
        `readiness goes down while draining and liveness must not, or the kubelet kills draining pods`,
    );
  }
  const port = probes?.port ?? DEFAULT_PROBE_PORT;
  if (port !== 'http' && port !== 'metrics') {
    throw new Error(
      `'probes.port' (${String(port)}) must be 'http' or 'metrics': the name of the container port the kubelet probes`,
    );
  }
  if (port === 'metrics' && metricsPort === undefined) {
    throw new Error(
      `'probes.port' (metrics) needs a metrics port, and 'metricsPort' is false: ` +
        `probe 'http', or give the container a metrics port that answers the probes`,
    );
  }
  return { kind: 'http', paths, port };
}

/** The container's probe fields. */
export function containerProbes(
  probes: ResolvedProbes,
): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const timed = (timing: ProbeTiming) => ({
    periodSeconds: timing.periodSeconds,
    failureThreshold: timing.failureThreshold,
    timeoutSeconds: DEFAULT_PROBE_TIMEOUT_SECONDS,
    successThreshold: 1,
  });
  if (probes.kind === 'none') return {};
  if (probes.kind === 'exec') {
    const exec = { command: [...probes.command] };
    return {
      startupProbe: { exec, ...timed(DEFAULT_PROBE_TIMINGS.startup) },
      livenessProbe: { exec, ...timed(DEFAULT_PROBE_TIMINGS.liveness) },
    };
  }
  const http = (path: string, timing: ProbeTiming): k8s.Probe => ({
    httpGet: { path, port: k8s.IntOrString.fromString(probes.port) },
    ...timed(timing),
  });
  // Startup: up to 60 s to start; readiness: out after 2 failures (10 s);
  // liveness: restarted after 3 failures (30 s), never during a drain.
  return {
    startupProbe: http(probes.paths.startup, DEFAULT_PROBE_TIMINGS.startup),
    readinessProbe: http(probes.paths.readiness, DEFAULT_PROBE_TIMINGS.readiness),
    livenessProbe: http(probes.paths.liveness, DEFAULT_PROBE_TIMINGS.liveness),
  };
}

/**
 * Annotations for the Deployment that tell Polaris which probe checks do not apply
 * (https://polaris.docs.fairwinds.com/customization/exemptions/): a workload without HTTP has no
 * readiness probe by design (nothing routes traffic to it), and one with `{ none }` no liveness
 * probe either, for the reason written on its pods. kube-score already skips the probe check for
 * pods no Service targets (score/probes/probes.go).
 */
export function probeExemptions(probes: ResolvedProbes): Record<string, string> | undefined {
  if (probes.kind === 'http') return undefined;
  return {
    'polaris.fairwinds.com/readinessProbeMissing-exempt': 'true',
    ...(probes.kind === 'none'
      ? { 'polaris.fairwinds.com/livenessProbeMissing-exempt': 'true' }
      : {}),
  };
}
