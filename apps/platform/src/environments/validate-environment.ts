import type { EnvironmentConfig } from './environment.js';

const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * Refuses an environment file that cannot deploy, naming the field, the value and the fix, all
 * problems at once. The constructs validate again (they are the last line); this catches the
 * mistakes that are about environments (a live without hosts, a dev tag of `latest`…).
 */
export function validateEnvironment(env: EnvironmentConfig): void {
  const p = `environments.${env.name}`;
  const problems: string[] = [];
  const { api } = env;
  if (!TAG.test(api.imageTag) || api.imageTag === 'latest') {
    problems.push(`'${p}.api.imageTag' (${api.imageTag}) must be a version or a git SHA, never 'latest': CI sets STAYUP_IMAGE_TAG`);
  }
  if (!Number.isInteger(api.replicas.min) || api.replicas.min < (api.allowSingleReplica ? 1 : 2)) {
    problems.push(
      `'${p}.api.replicas.min' (${api.replicas.min}) must be at least ${api.allowSingleReplica ? 1 : 2}: ` +
        `one replica is an outage at every node drain (set allowSingleReplica only for development)`,
    );
  }
  if (api.allowSingleReplica && env.name !== 'dev' && env.name !== 'local') {
    problems.push(`'${p}.api.allowSingleReplica' (true) must only be set for dev or local: remove it`);
  }
  if (!(api.replicas.max > api.replicas.min)) {
    problems.push(`'${p}.api.replicas.max' (${api.replicas.max}) must be greater than 'replicas.min' (${api.replicas.min}): raise it`);
  }
  if (!(api.drainDelaySeconds >= 0 && api.drainDelaySeconds <= 600) || !(api.drainTimeoutSeconds >= 1 && api.drainTimeoutSeconds <= 600)) {
    problems.push(
      `'${p}.api.drainDelaySeconds'/'drainTimeoutSeconds' (${api.drainDelaySeconds}/${api.drainTimeoutSeconds}) ` +
        `must be 0-600 and 1-600 seconds: 10-15 s delay suits an ALB`,
    );
  }
  if (env.name !== 'local' && api.hosts.length === 0) {
    problems.push(`'${p}.api.hosts' ([]) must list the public host names: the ALB's HTTPS listener needs them`);
  }
  api.hosts.forEach((host, i) => {
    if (!HOST.test(host)) problems.push(`'${p}.api.hosts[${i}]' (${host}) must be a lower-case DNS name: e.g. 'api.example.com'`);
  });
  if (!Number.isInteger(env.zones) || env.zones < 1 || env.zones > 6) {
    problems.push(`'${p}.zones' (${env.zones}) must be 1-6: the number of availability zones the nodes span`);
  }
  if (env.name === 'live' && env.zones < 3) {
    problems.push(`'${p}.zones' (${env.zones}) must be at least 3 for live: losing one zone must leave two`);
  }
  if (problems.length > 0) throw new Error(`invalid environment ${env.name}:\n  ${problems.join('\n  ')}`);
}
