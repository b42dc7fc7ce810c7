import { READINESS_PATH } from '@stayup/contract';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One backend server behind the balancer. */
export interface BackendServer {
  readonly name: string;
  readonly port: number;
}

/** Options of {@link Haproxy.start}. */
export interface HaproxyOptions {
  /** Port the balancer listens on (127.0.0.1). */
  readonly port: number;
  /** The targets. */
  readonly servers: readonly BackendServer[];
  /**
   * Health check path; 200 means healthy, as in an ALB target group's success codes.
   * @default '/ready'
   */
  readonly checkPath?: string;
  /**
   * Health check interval. An ALB's is 5-300 s; shortened so a test runs in seconds.
   * @default 250
   */
  readonly checkIntervalMs?: number;
  /** Failed checks before a target is taken out (ALB UnhealthyThresholdCount). @default 2 */
  readonly fall?: number;
  /** Passed checks before a target gets traffic (ALB HealthyThresholdCount). @default 2 */
  readonly rise?: number;
  /**
   * Time a health check may take (ALB HealthCheckTimeoutSeconds): HAProxy's `timeout check`, the
   * read timeout after the connection, which without it is the interval
   * (https://docs.haproxy.org/2.6/configuration.html#4-timeout%20check). @default the interval
   */
  readonly checkTimeoutMs?: number;
}

/** A server's state as HAProxy reports it: UP, DOWN, MAINT, or a transition such as "UP 1/2". */
export type ServerState = string;

/** The HAProxy binary, or undefined when it is not installed. */
export function findHaproxy(): string | undefined {
  for (const candidate of ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy']) {
    if (existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : undefined;
}

/**
 * Renders a configuration that behaves like an AWS ALB target group for our purpose: round robin,
 * an active `GET <checkPath>` health check that wants a 200, fall/rise thresholds, no retries
 * (an ALB does not retry a failed request), HTTP keep-alive on both sides, and an idle timeout of
 * 60 s towards the targets.
 */
export function haproxyConfig(options: HaproxyOptions, statsSocket: string): string {
  const inter = options.checkIntervalMs ?? 250;
  return [
    'global',
    `  stats socket ${statsSocket} mode 600 level admin`,
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  retries 0',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-keep-alive 60s',
    ...(options.checkTimeoutMs ? [`  timeout check ${options.checkTimeoutMs}ms`] : []),
    '',
    'frontend public',
    `  bind 127.0.0.1:${options.port}`,
    '  default_backend api',
    '',
    'backend api',
    '  balance roundrobin',
    '  option httpchk',
    `  http-check send meth GET uri ${options.checkPath ?? READINESS_PATH}`,
    '  http-check expect status 200',
    `  default-server inter ${inter}ms fastinter ${inter}ms downinter ${inter}ms ` +
      `fall ${options.fall ?? 2} rise ${options.rise ?? 2}`,
    ...options.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
    '',
  ].join('\n');
}

/** A real HAProxy process in front of local targets, queried through its stats socket. */
export class Haproxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly socket: string,
    readonly port: number,
    private readonly log: string[],
  ) {}

  /** Validates the configuration with `haproxy -c`, starts HAProxy and waits for its socket. */
  static async start(options: HaproxyOptions): Promise<Haproxy> {
    const binary = findHaproxy();
    if (!binary) throw new Error('haproxy is not installed: apt-get install -y haproxy');
    const dir = mkdtempSync(join(tmpdir(), 'stayup-haproxy-'));
    const socket = join(dir, 'admin.sock');
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(config, haproxyConfig(options, socket));
    const check = spawnSync(binary, ['-c', '-q', '-f', config], { encoding: 'utf8' });
    if (check.status !== 0) {
      throw new Error(`haproxy -c refused the configuration:\n${check.stderr}${check.stdout}`);
    }
    const log: string[] = [];
    const child = spawn(binary, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
    const haproxy = new Haproxy(child, dir, socket, options.port, log);
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`haproxy exited:\n${log.join('')}`);
      if (
        await haproxy.command('show info').then(
          () => true,
          () => false,
        )
      )
        return haproxy;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    throw new Error(`haproxy did not open its stats socket:\n${log.join('')}`);
  }

  /** What HAProxy printed (alerts, warnings), for failure messages. */
  get output(): string {
    return this.log.join('');
  }

  /** The public URL of the balancer. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sends a command to the stats socket and resolves with the answer. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const conn = connect(this.socket);
      let answer = '';
      conn.setEncoding('utf8');
      conn.on('connect', () => conn.write(`${line}\n`));
      conn.on('data', (chunk: string) => (answer += chunk));
      conn.on('end', () => resolve(answer));
      conn.on('error', reject);
    });
  }

  /** Each server's state in the `api` backend. */
  async serverStates(): Promise<Record<string, ServerState>> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [px, sv, status] = ['pxname', 'svname', 'status'].map((c) => columns.indexOf(c));
    const states: Record<string, ServerState> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[px] === 'api' && cells[sv] !== 'BACKEND') states[cells[sv]] = cells[status];
    }
    return states;
  }

  /**
   * How many times each server went from UP to DOWN: the `chkdown` column of `show stat`
   * (https://docs.haproxy.org/2.6/management.html#9.1, field 22).
   */
  async downTransitions(): Promise<Record<string, number>> {
    const csv = await this.command('show stat');
    const [header, ...rows] = csv.trim().split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [px, sv, chkdown] = ['pxname', 'svname', 'chkdown'].map((c) => columns.indexOf(c));
    const counts: Record<string, number> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[px] === 'api' && cells[sv] !== 'BACKEND')
        counts[cells[sv]] = Number(cells[chkdown]);
    }
    return counts;
  }

  /** Waits until `server` reports exactly `state` (e.g. UP, DOWN). */
  async waitForState(server: string, state: ServerState, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: ServerState | undefined;
    while (Date.now() < deadline) {
      last = (await this.serverStates())[server];
      if (last === state) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`haproxy: ${server} is ${last}, not ${state}, after ${timeoutMs} ms`);
  }

  /** Stops HAProxy and removes its files. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
