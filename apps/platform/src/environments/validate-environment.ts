import { MAX_SHUTDOWN_MS } from '@stayup/contract';
import { ALB_MIN_DRAIN_DELAY } from '@stayup/k8s-ha';
import { overlaps, parseCidr } from './cidr.js';
import type { EnvironmentConfig } from './environment.js';

/** Longest drain delay and timeout, in seconds: what the app accepts. */
const MAX_DRAIN_SECONDS = MAX_SHUTDOWN_MS / 1000;

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
    problems.push(
      `'${p}.api.imageTag' (${api.imageTag}) must be a version or a git SHA, never 'latest': CI sets STAYUP_IMAGE_TAG`,
    );
  }
  if (!Number.isInteger(api.replicas.min) || api.replicas.min < (api.allowSingleReplica ? 1 : 2)) {
    problems.push(
      `'${p}.api.replicas.min' (${api.replicas.min}) must be at least ${api.allowSingleReplica ? 1 : 2}: ` +
        `one replica is an outage at every node drain (set allowSingleReplica only for development)`,
    );
  }
  if (api.allowSingleReplica && env.name !== 'dev' && env.name !== 'local') {
    problems.push(
      `'${p}.api.allowSingleReplica' (true) must only be set for dev or local: remove it`,
    );
  }
  if (!(api.replicas.max > api.replicas.min)) {
    problems.push(
      `'${p}.api.replicas.max' (${api.replicas.max}) must be greater than 'replicas.min' (${api.replicas.min}): raise it`,
    );
  }
  if (
    !(api.drainDelaySeconds >= 0 && api.drainDelaySeconds <= MAX_DRAIN_SECONDS) ||
    !(api.drainTimeoutSeconds >= 1 && api.drainTimeoutSeconds <= MAX_DRAIN_SECONDS)
  ) {
    problems.push(
      `'${p}.api.drainDelaySeconds'/'drainTimeoutSeconds' (${api.drainDelaySeconds}/${api.drainTimeoutSeconds}) ` +
        `must be 0-${MAX_DRAIN_SECONDS} and 1-${MAX_DRAIN_SECONDS} seconds: 10-15 s delay suits an ALB`,
    );
  }
  if (api.hosts.length > 0 && api.drainDelaySeconds < ALB_MIN_DRAIN_DELAY.toSeconds()) {
    problems.push(
      `'${p}.api.drainDelaySeconds' (${api.drainDelaySeconds}) must be at least ${ALB_MIN_DRAIN_DELAY.toSeconds()} behind the ALB ('api.hosts'): ` +
        `the pods keep serving after SIGTERM until the ALB has deregistered them (AWS's EKS guidance: 10-15 s); raise it to 10-15`,
    );
  }
  if (api.alerts && env.monitoring?.prometheusOperator !== true) {
    problems.push(
      `'${p}.api.alerts' (true) must be false unless 'monitoring.prometheusOperator' is true: nothing installs the ` +
        `PrometheusRule CRD and the deploy fails on "no matches for kind"; install the Prometheus Operator CRDs in ` +
        `the same deploy and declare monitoring: { prometheusOperator: true }, or set alerts: false`,
    );
  }
  if (env.name !== 'local' && api.hosts.length === 0) {
    problems.push(
      `'${p}.api.hosts' ([]) must list the public host names: the ALB's HTTPS listener needs them`,
    );
  }
  api.hosts.forEach((host, i) => {
    if (!HOST.test(host))
      problems.push(
        `'${p}.api.hosts[${i}]' (${host}) must be a lower-case DNS name: e.g. 'api.example.com'`,
      );
  });
  if (!Number.isInteger(env.zones) || env.zones < 1 || env.zones > 6) {
    problems.push(
      `'${p}.zones' (${env.zones}) must be 1-6: the number of availability zones the nodes span`,
    );
  }
  if (env.name === 'live' && env.zones < 3) {
    problems.push(
      `'${p}.zones' (${env.zones}) must be at least 3 for live: losing one zone must leave two`,
    );
  }
  if (env.aws && api.imagePullPolicy === 'Never') {
    problems.push(
      `'${p}.api.imagePullPolicy' (Never) must be 'IfNotPresent' or 'Always' on AWS: new nodes start without the image; Never is for an image loaded into a local cluster`,
    );
  }
  if (!env.aws && api.imageRepository === undefined) {
    problems.push(
      `'${p}.api.imageRepository' (undefined) must name the image without AWS: e.g. 'stayup-api' for an image loaded into kind`,
    );
  }
  if (env.name !== 'local' && !env.aws) {
    problems.push(
      `'${p}.aws' (undefined) must describe the account, regions and cluster: only 'local' runs without AWS`,
    );
  }
  if (env.aws) {
    const aws = env.aws;
    if (!/^\d{12}$/.test(aws.account))
      problems.push(`'${p}.aws.account' (${aws.account}) must be a 12-digit AWS account id`);
    const regions = [aws.primary, ...(aws.extraRegions ?? [])];
    const at = (i: number) => (i === 0 ? 'aws.primary' : `aws.extraRegions[${i - 1}]`);
    problems.push(...vpcProblems(p, regions, at));
    if (regions.length > 1 && api.imageRepository !== undefined) {
      problems.push(
        `'${p}.api.imageRepository' (${api.imageRepository}) must be unset in a multi-region environment: each region pulls from the ECR replica in its own region`,
      );
    }
    for (const [i, r] of regions.entries()) {
      const at = i === 0 ? 'aws.primary' : `aws.extraRegions[${i - 1}]`;
      if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r.region))
        problems.push(`'${p}.${at}.region' (${r.region}) must be an AWS region: e.g. 'eu-west-1'`);
      if (
        r.availabilityZones.length !== env.zones ||
        r.availabilityZones.some((z) => !z.startsWith(r.region))
      ) {
        problems.push(
          `'${p}.${at}.availabilityZones' (${JSON.stringify(r.availabilityZones)}) must list ${env.zones} zones of ${r.region} ` +
            `(the environment's 'zones'): e.g. '${r.region}a'`,
        );
      }
    }
    // Access entries name roles the stacks do not create: CreateAccessEntry fails on a principal
    // that does not exist, so they must be this account's, created before the first deploy
    // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html).
    for (const [i, arn] of aws.adminPrincipalArns.entries()) {
      const account = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\//.exec(arn)?.[1];
      if (account !== aws.account) {
        problems.push(
          `'${p}.aws.adminPrincipalArns[${i}]' (${arn}) must be an IAM role or user of the environment's account ` +
            `(${aws.account}), existing before the first deploy: e.g. 'arn:aws:iam::${aws.account}:role/platform-admin'`,
        );
      }
    }
    problems.push(...dnsProblems(p, aws.dnsZone, api.hosts));
    if (env.name === 'live' && aws.natGateways !== 'per-zone') {
      problems.push(
        `'${p}.aws.natGateways' (${aws.natGateways}) must be 'per-zone' for live: one NAT would make every zone's egress depend on one`,
      );
    }
  }
  if (problems.length > 0)
    throw new Error(`invalid environment ${env.name}:\n  ${problems.join('\n  ')}`);
}

/**
 * Each region's VPC range is a private IPv4 block of /16 to /24 (VPC limits:
 * https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html), and no two regions
 * overlap: overlapping VPCs can never be peered or joined by a transit gateway.
 */
function vpcProblems(
  p: string,
  regions: readonly { readonly region: string; readonly vpcCidr: string }[],
  at: (i: number) => string,
): string[] {
  const problems: string[] = [];
  const ranges = regions.map((r) => parseCidr(r.vpcCidr));
  regions.forEach((r, i) => {
    const mine = ranges[i];
    const bits = Number(r.vpcCidr.split('/')[1]);
    if (!mine || bits < 16 || bits > 24) {
      problems.push(
        `'${p}.${at(i)}.vpcCidr' (${r.vpcCidr}) must be an IPv4 CIDR block from /16 to /24: e.g. '10.30.0.0/16'`,
      );
      return;
    }
    for (let j = 0; j < i; j++) {
      const other = ranges[j];
      if (other && overlaps(other, mine)) {
        problems.push(
          `'${p}.${at(i)}.vpcCidr' (${r.vpcCidr}) must not overlap '${at(j)}.vpcCidr' (${regions[j].vpcCidr}): ` +
            `${r.region} and ${regions[j].region} need distinct ranges, e.g. '10.31.0.0/16'`,
        );
      }
    }
  });
  return problems;
}

/**
 * The hosted zone is named and identified (CloudFormation writes the certificate's validation
 * records and the hosts' records into it by id; no lookup at synth), and every host is below it:
 * the records are CNAMEs, which cannot sit at the zone apex (RFC 1034 section 3.6.2).
 */
function dnsProblems(
  p: string,
  zone: { readonly name: string; readonly id?: string },
  hosts: readonly string[],
): string[] {
  const problems: string[] = [];
  if (!HOST.test(zone.name)) {
    problems.push(
      `'${p}.aws.dnsZone.name' (${zone.name}) must be a lower-case DNS name: e.g. 'stayup.example.com'`,
    );
  }
  if (zone.id === undefined || !/^Z[A-Z0-9]{1,31}$/.test(zone.id)) {
    problems.push(
      `'${p}.aws.dnsZone.id' (${zone.id}) must be the hosted zone's id, e.g. 'Z0123456789ABCDEFGHIJ': ` +
        `create the zone once in this account and copy its id (aws route53 list-hosted-zones-by-name --dns-name ${zone.name})`,
    );
  }
  hosts.forEach((host, i) => {
    if (!host.endsWith(`.${zone.name}`)) {
      problems.push(
        `'${p}.api.hosts[${i}]' (${host}) must be below 'aws.dnsZone.name' (${zone.name}): ` +
          `e.g. 'api.${zone.name}' (the records are CNAMEs, never at the zone apex)`,
      );
    }
  });
  return problems;
}
