import { startMailWorker, stopMailWorker } from '../../src/modules/mail/outbox.service.js';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadConfig, useConfig, type Config } from '../../src/config/index.js';
import { createLogger, useLogger } from '../../src/shared/logger.js';
import { prepareDatabase } from '../../src/bootstrap.js';
import { buildApp, type BuildOptions } from '../../src/app.js';
import { closeDatabase } from '../../src/db/index.js';
import { closeMailer } from '../../src/shared/mailer.js';
import { closeRedis } from '../../src/shared/redis.js';
import { closeFileStore } from '../../src/shared/file-store.js';
import { issueToken } from '../../src/modules/auth/token.service.js';
import { hashPassword } from '../../src/modules/auth/password.js';
import { User } from '../../src/modules/users/user.model.js';
import type { Role } from '../../src/shared/rights.js';
import { clockFrom, useClock } from '../../src/shared/clock.js';

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };

export interface TestApp {
  url: string;
  config: Readonly<Config>;
  dataDir: string;
  /** Bearer token of the bootstrap admin. */
  adminToken: string;
  /** Creates a user with the role and returns it with a token. */
  userWithRole(role: Role, fields?: { email?: string; name?: string; password?: string }): Promise<{ user: User; token: string }>;
  http: HttpClient;
  /** Stops the server and the database connection, then starts the app again on the same database, folders and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HttpResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export type HttpClient = <T = any>(
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: BodyInit },
) => Promise<HttpResponse<T>>;

/** A fresh MySQL/MariaDB database on TEST_DATABASE_URL's server, dropped on close. */
export async function freshMysqlDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = new URL(serverUrl);
  const name = `sp_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export interface TestAppOptions extends BuildOptions {
  /**
   * Where the business clock starts (it then runs at real speed): documents,
   * ledger rows, audit rows and reports ("today", "this month") all live at
   * that moment, so a suite gives the same figures on any day it runs.
   */
  now?: Date;
  /** Another instance: join this app's database (same URL, not dropped on close) instead of a fresh one. */
  sameDatabaseAs?: TestApp;
}

/** A Wednesday afternoon in the middle of a month, far from every calendar boundary in any time zone. */
export const MID_MONTH = new Date('2026-06-17T13:00:00.000Z');

/**
 * Boots the real app on port 0 against a fresh database: SQLite in a temp
 * folder by default, a new MySQL/MariaDB database when TEST_DATABASE_URL is set.
 */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  useClock(options.now ? clockFrom(options.now) : undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-test-'));
  const joined = options.sameDatabaseAs?.config.databaseUrl;
  const mysqlDb = !joined && process.env.TEST_DATABASE_URL ? await freshMysqlDatabase(process.env.TEST_DATABASE_URL) : undefined;
  const config = useConfig(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: joined ?? mysqlDb?.url ?? `sqlite:${path.join(dataDir, 'test.sqlite')}`,
      DATA_DIR: dataDir,
      UPLOAD_DIR: path.join(dataDir, 'uploads'),
      JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnop',
      SESSION_SECRET: 'test-session-secret-0123456789abcdefghijkl',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      BCRYPT_COST: '4',
      ...env,
    }),
  );
  useLogger(createLogger(config.logLevel));
  await prepareDatabase(config);
  const listen = (port: number): Promise<Server> =>
    new Promise((resolve) => {
      const s = buildApp(config, options).listen(port, '127.0.0.1', () => resolve(s));
    });
  let server = await listen(0);
  startMailWorker();
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stopMailWorker();
    closeMailer();
    await closeRedis();
    closeFileStore();
    await closeDatabase();
  };
  const admin = (await User.findOne({ where: { email: ADMIN.email } }))!;

  const http: HttpClient = async (method, p, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: BodyInit | undefined = opts.raw;
    if (opts.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(url + p, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json')) parsed = text ? JSON.parse(text) : null;
    return { status: res.status, body: parsed as any, text, headers: res.headers };
  };

  let counter = 0;
  return {
    url,
    config,
    dataDir,
    adminToken: issueToken(admin),
    http,
    async userWithRole(role, fields = {}) {
      counter += 1;
      const user = await User.create({
        name: fields.name ?? `${role} ${counter}`,
        email: fields.email ?? `${role}${counter}@test.local`,
        passwordHash: await hashPassword(fields.password ?? 'password-123'),
        role,
      });
      return { user, token: issueToken(user) };
    },
    async restart() {
      await stop();
      await prepareDatabase(config);
      server = await listen(port);
      startMailWorker();
    },
    async close() {
      await stop();
      useClock(undefined);
      await mysqlDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
