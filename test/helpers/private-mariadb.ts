import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from './free-port.js';

/**
 * Waits (briefly, synchronously) until every thread of `pid` is stopped: a
 * signal reaches a busy thread on another core a moment later, and a query
 * already in the server could still be answered meanwhile.
 */
function untilStopped(pid: number, withinMs = 2_000): void {
  const deadline = Date.now() + withinMs;
  const state = (task: string) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    } catch {
      return 'T'; // a thread that has gone answers nothing either
    }
  };
  while (Date.now() < deadline) {
    if (readdirSync(`/proc/${pid}/task`).every((task) => state(task) === 'T')) return;
  }
  throw new Error(`mariadbd ${pid} did not stop within ${withinMs} ms`);
}

/**
 * A MariaDB server of the test's own: its own data folder under the temp
 * folder, its own port and socket, so it can be frozen, killed and restarted
 * without touching any shared server.
 */
export interface PrivateMariadb {
  /** mysql://root@127.0.0.1:<port>/<database> */
  url: string;
  port: number;
  /** SIGSTOP, returning once every thread is stopped: the server keeps its sockets open and answers nothing. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  /** SIGKILL, then waits for the process to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data folder and port; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  destroy(): Promise<void>;
}

function binary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/sbin', '/usr/bin'])) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Why a private server cannot run here, or undefined when it can. */
export function privateMariadbMissing(): string | undefined {
  const missing = ['mariadbd', 'mariadb-install-db'].filter((b) => !binary(b));
  return missing.length ? `${missing.join(' and ')} not found on PATH (install mariadb-server to run this test)` : undefined;
}

async function waitForConnections(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}: ${log()}`);
    try {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1_000 });
      await conn.end();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`mariadbd did not accept connections within 60 s: ${(err as Error).message}\n${log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export interface PrivateMariadbOptions {
  /** More [mariadbd] lines (`server-id=2`, `read_only=1`, ...). */
  config?: string[];
  /** Write a binary log (`log-bin`, row format), as a replication primary does; off by default. */
  binlog?: boolean;
  /** Create `database` once the server is up (default true). */
  createDatabase?: boolean;
}

export async function startPrivateMariadb(database = 'stockpilot', options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-mariadb-'));
  const port = await freePort();
  const config = path.join(dir, 'my.cnf');
  writeFileSync(
    config,
    [
      '[mariadbd]',
      `datadir=${path.join(dir, 'data')}`,
      `port=${port}`,
      'bind-address=127.0.0.1',
      `socket=${path.join(dir, 'mariadb.sock')}`,
      `pid-file=${path.join(dir, 'mariadb.pid')}`,
      ...(process.getuid?.() === 0 ? ['user=root'] : []),
      'skip-name-resolve',
      ...(options.binlog ? ['log-bin=mariadb-bin', 'binlog_format=ROW'] : ['skip-log-bin']),
      'innodb_buffer_pool_size=32M',
      'innodb_log_file_size=16M',
      ...(options.config ?? []),
      '',
    ].join('\n'),
  );
  const install = spawnSync(binary('mariadb-install-db')!, [`--defaults-file=${config}`, '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);

  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    output = '';
    child = spawn(binary('mariadbd')!, [`--defaults-file=${config}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await waitForConnections(port, child, () => output);
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGCONT');
      running.kill('SIGKILL');
    });
  };
  await start();
  if (options.createDatabase ?? true) {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
  }
  return {
    url: `mysql://root@127.0.0.1:${port}/${database}`,
    port,
    freeze: () => {
      if (child?.pid && child.kill('SIGSTOP')) untilStopped(child.pid);
    },
    thaw: () => child?.kill('SIGCONT'),
    kill,
    start,
    async destroy() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
