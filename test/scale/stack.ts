import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../helpers/free-port.js';
import { startReplicaSet, type ReplicaSet } from '../helpers/mariadb-replica.js';
import type { PrivateMariadb } from '../helpers/private-mariadb.js';
import { startS3Server, type TestS3 } from '../helpers/s3-server.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { killGroup, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startHaproxy, type Balancer } from './haproxy.js';

/**
 * A production-like deployment for the scale-out test: a private MariaDB
 * primary with a replica (reports read from it), an S3 store (s3rver), an
 * SMTP server, HAProxy, and two instances of the real server (src/server.ts,
 * NODE_ENV=production) sharing nothing but those and, optionally, Redis.
 */

export const ADMIN = { email: 'admin@scale.local', password: 'scale-admin-password-0123' };
const SECRETS = {
  JWT_SECRET: 'scale-test-jwt-secret-0123456789abcdefghijklmnopqrstuv',
  SESSION_SECRET: 'scale-test-session-secret-0123456789abcdefghijklmnopq',
};
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const INSTANCE_NAMES = ['a', 'b'] as const;
export type InstanceName = (typeof INSTANCE_NAMES)[number];

export interface Instance {
  name: InstanceName;
  /** Its own address, for requests that bypass the balancer. */
  url: string;
  port: number;
  /** The running process (the latest, after a restart). */
  process: ServerProcess;
  /** Starts it (again, on the same port and settings); resolves once it is running. */
  start(): Promise<void>;
  /** SIGTERM; resolves with the exit code and how long it took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
  /** What every process it ran printed, oldest first. */
  output(): string;
  /** SIGKILL to every process group it ran. */
  kill(): void;
}

export interface Stack {
  balancer: Balancer;
  instances: Record<InstanceName, Instance>;
  /** The primary (root access): DATABASE_URL. */
  database: PrivateMariadb;
  /** The primary and its replica (DATABASE_READ_URLS). */
  replicaSet: ReplicaSet;
  /** The object store (STORAGE=s3) and its bucket. */
  s3: TestS3;
  bucket: string;
  /** The mail server (SMTP_URL). */
  smtp: TestSmtp;
  /** The variables every instance runs with. */
  env: Record<string, string>;
  /** Stops everything and removes every temp folder; safe to call twice, and after a failed start. */
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Rate limits and cache invalidation through Redis (a prefix of the run's own) rather than the database. */
  redis: boolean;
  /** More variables for the instances (e.g. a replica or an object store). */
  env?: Record<string, string>;
}

/** The panel's component bundle, built once into `dir`: instances then start without bundling (as after `npm run build`). */
export function buildAdminBundle(dir: string): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-admin.ts'], {
    env: { PATH: process.env.PATH, ADMIN_JS_TMP_DIR: dir, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`admin bundle failed: ${result.stderr || result.stdout}`);
}

/**
 * HAProxy first (it sees both servers down), then both instances at the same
 * moment on the empty database; resolves once HAProxy sees both up.
 */
export async function startStack(options: StackOptions & { adminBundleDir: string }): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-scale-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const replicaSet = await startReplicaSet();
    cleanups.push(() => replicaSet.stop());
    const database = replicaSet.primary;
    const s3 = await startS3Server();
    cleanups.push(() => s3.stop());
    const bucket = 'stockpilot-scale';
    const smtp = await startSmtp();
    cleanups.push(() => smtp.close());
    const redisPrefix = `sp-scale-${process.pid}-${Date.now()}:`;
    if (options.redis) cleanups.push(() => forgetRedisKeys(redisPrefix));
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      ...SECRETS,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...replicaSet.env(),
      ...s3.env(bucket),
      SMTP_URL: smtp.url,
      MAIL_POLL_MS: '200',
      TRUST_PROXY: '1',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ADMIN_JS_TMP_DIR: options.adminBundleDir,
      ...(options.redis ? { REDIS_URL, REDIS_PREFIX: redisPrefix } : {}),
      ...options.env,
    };
    const ports = { a: await freePort(), b: await freePort() };
    const balancer = await startHaproxy(dir, INSTANCE_NAMES.map((name) => ({ name, port: ports[name] })));
    cleanups.push(() => balancer.stop());
    for (const name of INSTANCE_NAMES) await balancer.waitFor(name, 'DOWN');

    const instances = {} as Record<InstanceName, Instance>;
    for (const name of INSTANCE_NAMES) {
      const own = path.join(dir, name);
      mkdirSync(own);
      const instance = makeInstance(name, ports[name], { ...env, PORT: String(ports[name]), DATA_DIR: own, UPLOAD_DIR: path.join(own, 'uploads') });
      instances[name] = instance;
      cleanups.push(() => instance.kill());
    }
    // At the same moment, on the empty database.
    await Promise.all(INSTANCE_NAMES.map((name) => instances[name].start()));
    for (const name of INSTANCE_NAMES) await balancer.waitFor(name, 'UP');
    return { balancer, instances, database, replicaSet, s3, bucket, smtp, env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Deletes the keys the run wrote to the shared Redis. */
async function forgetRedisKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
  } finally {
    await client.close();
  }
}

function makeInstance(name: InstanceName, port: number, env: Record<string, string>): Instance {
  const runs: ServerProcess[] = [];
  const running = () => runs.at(-1);
  const instance: Instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    get process() {
      const current = running();
      if (!current) throw new Error(`instance ${name} was never started`);
      return current;
    },
    async start() {
      const current = running();
      if (current && current.child.exitCode === null && current.child.signalCode === null) throw new Error(`instance ${name} is running already`);
      runs.push(spawnServer(env));
      await instance.process.started();
    },
    async terminate() {
      const sent = performance.now();
      instance.process.child.kill('SIGTERM');
      const { code, at } = await instance.process.exited;
      return { code, ms: Math.round(at - sent) };
    },
    output: () => runs.map((r) => r.output()).join(''),
    kill: () => runs.forEach((r) => killGroup(r.child.pid!)),
  };
  return instance;
}
