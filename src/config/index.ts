import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from '../shared/zod.js';

/** Thrown when the environment is unusable; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * Express's `trust proxy`: `true`/`false`, a hop count, or a comma-separated
 * list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 */
export type TrustProxy = boolean | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) ? Number(bits) <= max : family === 4 && isIP(bits) === 4;
}

const trustProxy = z.string().transform((v, ctx): TrustProxy => {
  const value = v.trim().toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((entry) => !isProxyAddress(entry));
  if (bad !== undefined || !list.length) {
    ctx.addIssue({ code: 'custom', message: `must be true, false, a hop count or a list of addresses/CIDR ranges (not "${bad ?? v}")` });
    return z.NEVER;
  }
  return list;
});

const secret = z.string().min(32, 'must be at least 32 characters');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(5000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: trustProxy.default(['loopback']),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite:, mysql:// or mariadb://')
    .default('sqlite:./data/inventory.sqlite'),
  DATABASE_READ_URLS: csv
    .pipe(z.array(z.string().regex(/^(mysql|mariadb):\/\//, 'must be a comma-separated list of mysql:// or mariadb:// URLs')))
    .default([]),
  DATA_DIR: z.string().min(1).default('./data'),
  JWT_SECRET: secret.optional(),
  SESSION_SECRET: secret.optional(),
  JWT_EXPIRES_IN: z
    .string()
    .regex(/^\d+[smhd]?$/, 'must be a duration such as 3600, 15m, 12h or 1d')
    .default('1d'),
  ADMIN_EMAIL: z.email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  SEED_DEMO: bool.default(true),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default('stockpilot:'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('StockPilot <no-reply@stockpilot.local>'),
  ALERT_EMAIL: z.email().optional(),
  MAIL_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  MAIL_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  MAIL_RETRY_MS: z.coerce.number().int().min(10).max(3_600_000).default(2_000),
  MAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(900_000),
  APP_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  UPLOAD_DIR: z.string().min(1).default('./uploads'),
  STORAGE: z.enum(['disk', 's3']).default('disk'),
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens')
    .optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  CORS_ORIGINS: csv.default(['http://localhost:3000', 'http://localhost:5173']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  AUTH_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  AI_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 100kb or 1mb').default('1mb'),
  ADMIN_JS_TMP_DIR: z.string().min(1).default('./admin-build'),
  /** Set by `npm start` while it builds the panel bundle in a process of its own: the server waits for it instead of bundling. */
  ADMIN_BUNDLE_BUILDING: bool.default(false),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  DB_STALL_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  // At most 6 s: with the drain after it and the clean-up, an instance exits within 10 s of SIGTERM.
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(6_000).default(2_000),
});

type Env = z.infer<typeof envSchema>;

/** Where product images live: a folder (UPLOAD_DIR) or any S3-compatible bucket. */
export type StorageConfig =
  | { kind: 'disk' }
  | {
      kind: 's3';
      /** Unset: AWS itself. */
      endpoint?: string;
      bucket: string;
      region: string;
      /** Unset: the SDK's own credential chain (environment, profile, instance role). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      forcePathStyle: boolean;
    };

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  /** Which proxies in front are believed about the client address (X-Forwarded-For). */
  trustProxy: TrustProxy;
  databaseUrl: string;
  /** MySQL/MariaDB replicas that reports (dashboard, exports, AI tools) read from; empty: everything reads the primary. */
  databaseReadUrls: string[];
  dataDir: string;
  jwtSecret: string;
  sessionSecret: string;
  jwtExpiresIn: string;
  adminEmail: string;
  /** Only set when it came from ADMIN_PASSWORD or was generated and kept in data/. */
  adminPassword: string;
  adminPasswordGenerated: boolean;
  seedDemo: boolean;
  /** Shared rate limits in Redis instead of the database. */
  redisUrl?: string;
  /** Starts every key this install writes to Redis (installs sharing a Redis keep apart). */
  redisPrefix: string;
  smtpUrl?: string;
  mailFrom: string;
  alertEmail?: string;
  /**
   * The outbox worker (every instance runs one): how often it looks for due
   * mail, how long a claim holds (a mail whose instance died is sent again
   * after it), attempts before a mail is marked failed, and the first and the
   * largest retry delay (doubling, with jitter).
   */
  mailWorker: { pollMs: number; leaseMs: number; maxAttempts: number; retryMs: number; retryMaxMs: number };
  appUrl: string;
  openai: { apiKey?: string; baseURL?: string; model: string; timeoutMs: number };
  uploadDir: string;
  storage: StorageConfig;
  corsOrigins: string[];
  logLevel: Env['LOG_LEVEL'];
  bcryptCost: number;
  authRateLimit: number;
  aiRateLimit: number;
  bodyLimit: string;
  adminBundleDir: string;
  adminBundleBuilding: boolean;
  /** MySQL/MariaDB only: connect and pool acquire limits, stalled-statement check (see DbTimeouts). */
  dbTimeouts: { connectMs: number; acquireMs: number; stallMs: number };
  /** After SIGTERM, how long the instance answers not-ready while serving on, before it stops accepting and drains. */
  shutdownGraceMs: number;
}

interface KeptSecrets {
  jwtSecret: string;
  sessionSecret: string;
  adminPassword: string;
}

/** The embedded default keeps generated secrets under data/ so tokens and sessions survive restarts. */
function keptSecrets(dataDir: string): KeptSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<KeptSecrets>;
    if (kept.jwtSecret && kept.sessionSecret && kept.adminPassword) return kept as KeptSecrets;
  }
  const fresh: KeptSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    sessionSecret: randomBytes(48).toString('base64url'),
    adminPassword: randomBytes(9).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  return fresh;
}

function storageConfig(env: Env): StorageConfig {
  if (env.STORAGE === 'disk') return { kind: 'disk' };
  if (!env.S3_BUCKET) throw new ConfigError('Invalid configuration: S3_BUCKET is required when STORAGE=s3');
  if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(`Invalid configuration: ${env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'} is required with the other S3 key`);
  }
  return {
    kind: 's3',
    endpoint: env.S3_ENDPOINT,
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    credentials: env.S3_ACCESS_KEY_ID ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY! } : undefined,
    // S3-compatible servers (MinIO, Ceph, s3rver) are mostly reached by path, AWS by virtual host.
    forcePathStyle: env.S3_FORCE_PATH_STYLE ?? env.S3_ENDPOINT !== undefined,
  };
}

const WEAK_SECRETS = /^(secret|changeme|change-me|password|test|dev|default)/i;

/**
 * Parses the environment once. Throws ConfigError with a single line naming the
 * first bad variable. This is the only place that reads environment variables.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const value = raw[name] === undefined ? 'is missing or invalid' : issue.message;
    throw new ConfigError(`Invalid configuration: ${name} ${value}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';

  // Every instance must sign and check with the same secrets and create the same admin: nothing is generated in production.
  if (isProduction) {
    for (const name of ['JWT_SECRET', 'SESSION_SECRET'] as const) {
      const value = env[name];
      if (!value) throw new ConfigError(`Invalid configuration: ${name} is required when NODE_ENV=production`);
      if (WEAK_SECRETS.test(value) || new Set(value).size < 10) {
        throw new ConfigError(`Invalid configuration: ${name} is too weak for NODE_ENV=production`);
      }
    }
    if (!env.ADMIN_PASSWORD) throw new ConfigError('Invalid configuration: ADMIN_PASSWORD is required when NODE_ENV=production');
  }

  if (env.BCRYPT_COST < 12 && env.NODE_ENV !== 'test') {
    throw new ConfigError('Invalid configuration: BCRYPT_COST must be at least 12 outside NODE_ENV=test');
  }

  const storage = storageConfig(env);
  const databaseUrl = env.DATABASE_URL.replace(/^mariadb:/, 'mysql:');
  if (env.DATABASE_READ_URLS.length && databaseUrl.startsWith('sqlite:')) {
    throw new ConfigError('Invalid configuration: DATABASE_READ_URLS needs a MySQL/MariaDB DATABASE_URL');
  }

  const needsKept = !env.JWT_SECRET || !env.SESSION_SECRET || !env.ADMIN_PASSWORD;
  const kept = needsKept ? keptSecrets(env.DATA_DIR) : undefined;

  return Object.freeze({
    env: env.NODE_ENV,
    isProduction,
    port: env.PORT,
    host: env.HOST,
    trustProxy: env.TRUST_PROXY,
    databaseUrl,
    databaseReadUrls: env.DATABASE_READ_URLS.map((url) => url.replace(/^mariadb:/, 'mysql:')),
    dataDir: env.DATA_DIR,
    jwtSecret: env.JWT_SECRET ?? kept!.jwtSecret,
    sessionSecret: env.SESSION_SECRET ?? kept!.sessionSecret,
    jwtExpiresIn: env.JWT_EXPIRES_IN,
    adminEmail: env.ADMIN_EMAIL.toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD ?? kept!.adminPassword,
    adminPasswordGenerated: !env.ADMIN_PASSWORD,
    seedDemo: env.SEED_DEMO,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    alertEmail: env.ALERT_EMAIL,
    mailWorker: {
      pollMs: env.MAIL_POLL_MS,
      leaseMs: env.MAIL_LEASE_MS,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      retryMs: env.MAIL_RETRY_MS,
      retryMaxMs: Math.max(env.MAIL_RETRY_MS, env.MAIL_RETRY_MAX_MS),
    },
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
    },
    uploadDir: path.resolve(env.UPLOAD_DIR),
    storage,
    corsOrigins: env.CORS_ORIGINS,
    logLevel: env.LOG_LEVEL,
    bcryptCost: env.BCRYPT_COST,
    authRateLimit: env.AUTH_RATE_LIMIT,
    aiRateLimit: env.AI_RATE_LIMIT,
    bodyLimit: env.BODY_LIMIT,
    adminBundleDir: path.resolve(env.ADMIN_JS_TMP_DIR),
    adminBundleBuilding: env.ADMIN_BUNDLE_BUILDING,
    dbTimeouts: { connectMs: env.DB_CONNECT_TIMEOUT_MS, acquireMs: env.DB_ACQUIRE_TIMEOUT_MS, stallMs: env.DB_STALL_TIMEOUT_MS },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  });
}

let current: Readonly<Config> | undefined;

/** Makes a parsed config the process-wide one (done once by server.ts or a test harness). */
export function useConfig(config: Readonly<Config>): Readonly<Config> {
  current = config;
  return config;
}

export function getConfig(): Readonly<Config> {
  if (!current) throw new Error('Configuration has not been loaded');
  return current;
}
