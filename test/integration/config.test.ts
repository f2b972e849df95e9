import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STRONG_JWT = 'Zk3q9VbLr2Xw8TnP5sYc1HgM7dJf4AeQ6uKo0iRz';
const STRONG_SESSION = 'p0Lm9Nk8Jb7Hv6Gc5Fx4Dz3Sa2Qw1Er0TyUiOpAs';

describe('configuration', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-config-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const base = () => ({ DATA_DIR: dataDir });

  /** Asserts loadConfig refuses the env with one line naming the variable. */
  function assertRefused(env: Record<string, string>, variable: string) {
    assert.throws(
      () => loadConfig({ ...base(), ...env }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
        assert.equal(err.message.includes('\n'), false, 'the message is one line');
        assert.ok(err.message.includes(variable), `"${err.message}" names ${variable}`);
        return true;
      },
    );
  }

  it('when nothing is set, then the defaults from the README apply and secrets are generated once into DATA_DIR', () => {
    const config = loadConfig(base());
    assert.equal(config.port, 5000);
    assert.equal(config.databaseUrl, 'sqlite:./data/inventory.sqlite');
    assert.equal(config.jwtExpiresIn, '1d');
    assert.equal(config.adminEmail, 'admin@example.com');
    assert.equal(config.seedDemo, true);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.corsOrigins, ['http://localhost:3000', 'http://localhost:5173']);
    assert.equal(config.bcryptCost, 12);
    assert.ok(config.jwtSecret.length >= 32);
    assert.ok(config.adminPasswordGenerated);
    const kept = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    assert.equal(kept.jwtSecret, config.jwtSecret);
    const again = loadConfig(base());
    assert.equal(again.jwtSecret, config.jwtSecret, 'the same secrets on the next start');
    assert.equal(again.adminPassword, config.adminPassword);
  });

  it('when values are given, then they are parsed (numbers, booleans, lists, mariadb://)', () => {
    const config = loadConfig({
      ...base(),
      PORT: '0',
      SEED_DEMO: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      DATABASE_URL: 'mariadb://u:p@db:3306/shop',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'chosen-password',
    });
    assert.equal(config.port, 0);
    assert.equal(config.seedDemo, false);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.databaseUrl, 'mysql://u:p@db:3306/shop');
    assert.equal(config.adminEmail, 'boss@example.com');
    assert.equal(config.adminPassword, 'chosen-password');
    assert.equal(config.adminPasswordGenerated, false);
  });

  it('when PORT is not a number, then ConfigError naming PORT', () => assertRefused({ PORT: 'abc' }, 'PORT'));
  it('when PORT is out of range, then ConfigError naming PORT', () => assertRefused({ PORT: '70000' }, 'PORT'));
  it('when DATABASE_URL is not sqlite or mysql, then ConfigError naming DATABASE_URL', () =>
    assertRefused({ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'));
  it('when JWT_SECRET is shorter than 32 characters, then ConfigError naming JWT_SECRET', () =>
    assertRefused({ JWT_SECRET: 'too-short' }, 'JWT_SECRET'));
  it('when SESSION_SECRET is shorter than 32 characters, then ConfigError naming SESSION_SECRET', () =>
    assertRefused({ SESSION_SECRET: 'too-short' }, 'SESSION_SECRET'));
  it('when NODE_ENV is unknown, then ConfigError naming NODE_ENV', () => assertRefused({ NODE_ENV: 'staging' }, 'NODE_ENV'));
  it('when SEED_DEMO is not a boolean, then ConfigError naming SEED_DEMO', () => assertRefused({ SEED_DEMO: 'maybe' }, 'SEED_DEMO'));
  it('when ADMIN_EMAIL is not an email, then ConfigError naming ADMIN_EMAIL', () => assertRefused({ ADMIN_EMAIL: 'boss' }, 'ADMIN_EMAIL'));
  it('when ADMIN_PASSWORD is short, then ConfigError naming ADMIN_PASSWORD', () => assertRefused({ ADMIN_PASSWORD: 'abc' }, 'ADMIN_PASSWORD'));
  it('when SMTP_URL is not smtp, then ConfigError naming SMTP_URL', () => assertRefused({ SMTP_URL: 'http://mail' }, 'SMTP_URL'));
  it('when REDIS_URL is not redis, then ConfigError naming REDIS_URL', () => assertRefused({ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL'));
  it('when JWT_EXPIRES_IN is not a duration, then ConfigError naming JWT_EXPIRES_IN', () =>
    assertRefused({ JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN'));
  it('when LOG_LEVEL is unknown, then ConfigError naming LOG_LEVEL', () => assertRefused({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'));

  it('when NODE_ENV=production has no JWT_SECRET, then ConfigError naming JWT_SECRET', () =>
    assertRefused({ NODE_ENV: 'production', SESSION_SECRET: STRONG_SESSION }, 'JWT_SECRET'));
  it('when NODE_ENV=production has no SESSION_SECRET, then ConfigError naming SESSION_SECRET', () =>
    assertRefused({ NODE_ENV: 'production', JWT_SECRET: STRONG_JWT }, 'SESSION_SECRET'));
  it('when NODE_ENV=production has no ADMIN_PASSWORD, then ConfigError naming ADMIN_PASSWORD and nothing is generated', () => {
    const prodDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-config-prod-'));
    try {
      assert.throws(
        () => loadConfig({ NODE_ENV: 'production', DATA_DIR: prodDir, JWT_SECRET: STRONG_JWT, SESSION_SECRET: STRONG_SESSION }),
        (err: unknown) => err instanceof ConfigError && /ADMIN_PASSWORD is required when NODE_ENV=production/.test(err.message),
      );
      assert.equal(existsSync(path.join(prodDir, 'secrets.json')), false);
    } finally {
      rmSync(prodDir, { recursive: true, force: true });
    }
  });
  it('when TRUST_PROXY is unset, then only loopback proxies are trusted', () => assert.deepEqual(loadConfig(base()).trustProxy, ['loopback']));
  it('when TRUST_PROXY is a hop count, a boolean or a list, then it is parsed as Express takes it', () => {
    assert.equal(loadConfig({ ...base(), TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ ...base(), TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ ...base(), TRUST_PROXY: 'false' }).trustProxy, false);
    assert.deepEqual(loadConfig({ ...base(), TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7' }).trustProxy, ['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
  });
  it('when TRUST_PROXY is not an address list, then ConfigError naming TRUST_PROXY', () => {
    assertRefused({ TRUST_PROXY: 'my-balancer' }, 'TRUST_PROXY');
    assertRefused({ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY');
  });
  it('when STORAGE is unset, then images stay on disk; STORAGE=s3 takes the S3 variables with their defaults', () => {
    assert.deepEqual(loadConfig(base()).storage, { kind: 'disk' });
    const s3 = loadConfig({ ...base(), STORAGE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_BUCKET: 'shop-images', S3_ACCESS_KEY_ID: 'key', S3_SECRET_ACCESS_KEY: 'secret' });
    assert.deepEqual(s3.storage, {
      kind: 's3',
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'shop-images',
      region: 'us-east-1',
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      forcePathStyle: true,
    });
    const aws = loadConfig({ ...base(), STORAGE: 's3', S3_BUCKET: 'shop-images', S3_REGION: 'eu-west-1' }).storage;
    assert.deepEqual(aws, { kind: 's3', endpoint: undefined, bucket: 'shop-images', region: 'eu-west-1', credentials: undefined, forcePathStyle: false });
    assert.equal((loadConfig({ ...base(), STORAGE: 's3', S3_BUCKET: 'shop-images', S3_ENDPOINT: 'http://s3.local', S3_FORCE_PATH_STYLE: 'false' }).storage as { forcePathStyle: boolean }).forcePathStyle, false);
  });
  it('when STORAGE=s3 lacks a bucket or half the keys, or STORAGE is unknown, then ConfigError naming the variable', () => {
    assertRefused({ STORAGE: 's3' }, 'S3_BUCKET');
    assertRefused({ STORAGE: 's3', S3_BUCKET: 'No_Such' }, 'S3_BUCKET');
    assertRefused({ STORAGE: 's3', S3_BUCKET: 'shop-images', S3_ACCESS_KEY_ID: 'key' }, 'S3_SECRET_ACCESS_KEY');
    assertRefused({ STORAGE: 'ftp' }, 'STORAGE');
  });
  it('when DATABASE_READ_URLS lists replicas, then they are parsed (mariadb:// as mysql://); refused with SQLite or a non-MySQL URL', () => {
    assert.deepEqual(loadConfig(base()).databaseReadUrls, []);
    const config = loadConfig({ ...base(), DATABASE_URL: 'mysql://app@db1/shop', DATABASE_READ_URLS: 'mariadb://app@db2/shop, mysql://app@db3/shop' });
    assert.deepEqual(config.databaseReadUrls, ['mysql://app@db2/shop', 'mysql://app@db3/shop']);
    assertRefused({ DATABASE_READ_URLS: 'mysql://app@db2/shop' }, 'DATABASE_READ_URLS');
    assertRefused({ DATABASE_URL: 'mysql://app@db1/shop', DATABASE_READ_URLS: 'postgres://db2/shop' }, 'DATABASE_READ_URLS');
  });
  it('when NODE_ENV=production has a weak (guessable) secret, then ConfigError naming it', () =>
    assertRefused({ NODE_ENV: 'production', JWT_SECRET: 'changeme-changeme-changeme-changeme', SESSION_SECRET: STRONG_SESSION }, 'JWT_SECRET'));
  it('when NODE_ENV=production has a low-variety secret, then ConfigError naming it', () =>
    assertRefused({ NODE_ENV: 'production', JWT_SECRET: STRONG_JWT, SESSION_SECRET: 'ab'.repeat(20) }, 'SESSION_SECRET'));
  it('when BCRYPT_COST is below 12 outside tests, then ConfigError naming BCRYPT_COST', () =>
    assertRefused({ BCRYPT_COST: '4' }, 'BCRYPT_COST'));

  it('when NODE_ENV=production has strong secrets, then it loads without writing secrets to disk', () => {
    const prodDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-config-prod-'));
    try {
      const config = loadConfig({
        NODE_ENV: 'production',
        DATA_DIR: prodDir,
        JWT_SECRET: STRONG_JWT,
        SESSION_SECRET: STRONG_SESSION,
        ADMIN_PASSWORD: 'a-long-admin-password',
      });
      assert.equal(config.isProduction, true);
      assert.equal(config.jwtSecret, STRONG_JWT);
      assert.equal(existsSync(path.join(prodDir, 'secrets.json')), false);
    } finally {
      rmSync(prodDir, { recursive: true, force: true });
    }
  });

  /** Starts src/server.ts with `vars` and asserts it exits 1 with one stderr line matching `line`, before touching the database. */
  async function assertStartRefused(vars: NodeJS.ProcessEnv, line: RegExp) {
    const startDir = mkdtempSync(path.join(dataDir, 'start-'));
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: startDir, DATABASE_URL: `sqlite:${path.join(startDir, 'never.sqlite')}`, ...vars };
    // The child is a plain server start, not part of this test run.
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1, `one line on stderr, got: ${stderr}`);
    assert.match(lines[0], line);
    assert.equal(stdout.includes('running at'), false);
    assert.equal(existsSync(path.join(startDir, 'never.sqlite')), false, 'nothing touched the database');
    assert.equal(existsSync(path.join(startDir, 'secrets.json')), false, 'no secret was generated');
  }

  it('when the server starts with PORT=abc, then it exits 1 with exactly one stderr line naming PORT', () => assertStartRefused({ PORT: 'abc' }, /PORT/));

  it('when the server starts in production without ADMIN_PASSWORD, then it exits 1 with one line saying so', () =>
    assertStartRefused({ NODE_ENV: 'production', JWT_SECRET: STRONG_JWT, SESSION_SECRET: STRONG_SESSION, ADMIN_PASSWORD: '' }, /ADMIN_PASSWORD is required when NODE_ENV=production/));

  it('when the server starts in production without JWT_SECRET, then it exits 1 with one line saying so', () =>
    assertStartRefused({ NODE_ENV: 'production', JWT_SECRET: '', SESSION_SECRET: STRONG_SESSION, ADMIN_PASSWORD: 'a-long-admin-password' }, /JWT_SECRET is required when NODE_ENV=production/));
});
