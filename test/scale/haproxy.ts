import { existsSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import path from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { spawnGroup } from '../helpers/server-process.js';

export const HAPROXY = '/usr/sbin/haproxy';

/** Why HAProxy cannot run here, or undefined when it can. */
export function haproxyMissing(): string | undefined {
  return existsSync(HAPROXY) ? undefined : `${HAPROXY} not found (apt-get install -y haproxy)`;
}

export interface Backend {
  name: string;
  port: number;
}

/** One server's line of HAProxy's statistics. */
export interface ServerStats {
  name: string;
  /** UP, DOWN, MAINT, or a transition such as "UP 1/2". */
  status: string;
  /** HTTP requests it was sent (health checks not counted). */
  requests: number;
  /** Connections to it that HAProxy had to retry (refused, reset before an answer). */
  retries: number;
  /** Requests that HAProxy sent to another server after this one failed to take them. */
  redispatched: number;
  /** Answers with a 5xx status (its own or HAProxy's for it). */
  errors5xx: number;
}

/**
 * The configuration the README shows: round robin over the instances, each
 * checked at `GET /api/ready` (two 503s in a row take it out, two good
 * checks bring it back), a request that cannot reach its server retried
 * and sent to another, the client address passed in X-Forwarded-For, and the
 * answering server named in X-Served-By (for the test; leave it out in production).
 */
export function haproxyConfig(options: { port: number; servers: Backend[]; statsSocket: string }): string {
  return [
    'global',
    `  stats socket ${options.statsSocket} mode 600 level admin`,
    '  log stdout format raw local0 info',
    '  maxconn 1024',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 10s',
    '  option forwardfor',
    '  option redispatch 1',
    '  retries 3',
    '',
    'frontend www',
    `  bind 127.0.0.1:${options.port}`,
    '  default_backend stockpilot',
    '',
    'backend stockpilot',
    '  balance roundrobin',
    '  option httpchk GET /api/ready',
    '  http-check expect status 200',
    // Fast for the test (production: e.g. inter 2s): a 503 takes a server out within about half a second,
    // well inside the instance's 2 s grace period; a check may take up to 2 s, so a busy instance is not taken for dead.
    '  timeout check 2s',
    '  default-server check inter 250ms fastinter 100ms fall 2 rise 2',
    '  http-response set-header X-Served-By %s',
    ...options.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}`),
    '',
  ].join('\n');
}

export interface Balancer {
  url: string;
  /** Per-server statistics, from the stats socket. */
  stats(): Promise<ServerStats[]>;
  /** Waits until HAProxy sees `server` as `status` (UP or DOWN). */
  waitFor(server: string, status: 'UP' | 'DOWN', timeoutMs?: number): Promise<void>;
  /** What HAProxy logged (one line per request). */
  log(): string;
  /** Its log lines about servers going up or down, with the reason (a check's status, a timeout). */
  events(): string[];
  stop(): Promise<void>;
}

function statsCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const conn = createConnection(socket, () => conn.end(`${command}\n`));
    conn.setEncoding('utf8');
    conn.on('data', (c: string) => (text += c));
    conn.on('end', () => resolve(text));
    conn.on('error', reject);
  });
}

function parseStats(csv: string): ServerStats[] {
  const [header, ...rows] = csv.trim().split('\n');
  const fields = header.replace(/^# /, '').split(',');
  const at = (row: string[], name: string) => row[fields.indexOf(name)];
  return rows
    .map((line) => line.split(','))
    .filter((row) => at(row, 'pxname') === 'stockpilot' && !['FRONTEND', 'BACKEND'].includes(at(row, 'svname')))
    .map((row) => ({
      name: at(row, 'svname'),
      status: at(row, 'status'),
      requests: Number(at(row, 'req_tot') || at(row, 'stot')),
      retries: Number(at(row, 'wretr') || 0),
      redispatched: Number(at(row, 'wredis') || 0),
      errors5xx: Number(at(row, 'hrsp_5xx') || 0),
    }));
}

/** HAProxy in the foreground from a config written to `dir`, in front of `servers`. */
export async function startHaproxy(dir: string, servers: Backend[]): Promise<Balancer> {
  const port = await freePort();
  const statsSocket = path.join(dir, 'haproxy.sock');
  const configFile = path.join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig({ port, servers, statsSocket }));
  const child = spawnGroup(HAPROXY, ['-db', '-f', configFile], { env: { PATH: process.env.PATH } });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const stats = async () => parseStats(await statsCommand(statsSocket, 'show stat'));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${output}`);
    if (existsSync(statsSocket) && (await stats().then(() => true, () => false))) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not start within 10 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    async waitFor(server, status, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const now = (await stats()).find((s) => s.name === server);
        if (now?.status === status) return;
        if (Date.now() > until) throw new Error(`haproxy still sees ${server} as ${now?.status} after ${timeoutMs} ms, not ${status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    log: () => output,
    // Logged twice (as a warning on stderr and in the log on stdout): the log lines.
    events: () => output.split('\n').filter((line) => /^Server stockpilot\/\w+ is (UP|DOWN)/.test(line)),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
