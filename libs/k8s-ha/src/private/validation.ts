/**
 * Checks shared by the constructs. Every message has the form
 * `'<propPath>' (<value>) must <rule>: <how to fix>`.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless `value` is a DNS-1123 label (names of namespaces, services, ports…). */
export function checkDnsLabel(path: string, value: string, maxLength = 63): void {
  if (value.length > maxLength || !DNS1123_LABEL.test(value)) {
    throw new Error(
      `'${path}' (${value}) must be a DNS-1123 label of at most ${maxLength} characters ` +
        `(lower-case letters, digits and '-', starting and ending with a letter or digit): ` +
        `e.g. '${suggestLabel(value, maxLength)}'`,
    );
  }
}

/** Throws unless `value` is a DNS-1123 subdomain (names of most objects, host names). */
export function checkDnsSubdomain(path: string, value: string): void {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw new Error(
      `'${path}' (${value}) must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.'): ` +
        `e.g. '${suggestLabel(value, 63)}'`,
    );
  }
}

/** Throws unless `value` is a TCP port number. */
export function checkPort(path: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new Error(`'${path}' (${value}) must be an integer from 1 to 65535: e.g. 8080`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(
  path: string,
  value: number,
  min: number,
  max: number,
  fix: string,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`'${path}' (${value}) must be an integer from ${min} to ${max}: ${fix}`);
  }
}

/** Throws unless `value` is a label value: at most 63 of [A-Za-z0-9._-], alphanumeric at both ends. */
export function checkLabelValue(path: string, value: string): void {
  if (value.length > 63 || !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(value)) {
    throw new Error(
      `'${path}' (${value}) must be a label value (at most 63 letters, digits, '.', '_' or '-', ` +
        `starting and ending with a letter or digit): e.g. '${suggestLabel(value, 63)}'`,
    );
  }
}

/** Throws unless an HTTP path starts with '/'. */
export function checkHttpPath(path: string, value: string): void {
  if (!value.startsWith('/')) {
    throw new Error(`'${path}' (${value}) must start with '/': write '/${value}'`);
  }
}

function suggestLabel(value: string, maxLength: number): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  return cleaned || 'my-app';
}

/**
 * The HTTP port and readiness path of a deployment, for the constructs that route traffic to it
 * (Service, Ingress); a workload made with `port: false` has neither.
 */
export function requireHttp(
  who: string,
  deployment: {
    readonly name: string;
    readonly port?: number;
    readonly probePaths?: { readonly readiness: string };
  },
): { readonly port: number; readonly readinessPath: string } {
  if (deployment.port === undefined || deployment.probePaths === undefined) {
    throw new Error(
      `'deployment' (${deployment.name}) must serve HTTP for ${who}: it was made with port: false ` +
        `(a worker), which nothing routes traffic to; give it a port and HTTP probes, or do without ${who}`,
    );
  }
  return { port: deployment.port, readinessPath: deployment.probePaths.readiness };
}
