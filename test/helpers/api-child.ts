import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ADMIN } from './test-app.js';

/** The API (test/helpers/api-process.ts) in a child process on `databaseUrl`, ready when it says so; `workerId` names its mail worker's claims. */
export async function startApiChild(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; workerId: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/api-process.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: 'child-test-jwt-secret-0123456789abcdefghij',
      SESSION_SECRET: 'child-test-session-secret-0123456789abcdef',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'silent',
      BCRYPT_COST: '4',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [url, workerId] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+) (\S+)\n/.exec(out);
      if (match) resolve([match[1], match[2]]);
    });
    child.once('exit', (code) => reject(new Error(`the API exited with ${code} before listening`)));
  });
  return { child, url, workerId };
}

/** SIGTERM, then wait for the exit. */
export async function stopApiChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** One JSON request to an instance at `base`, with an optional bearer token and body (undefined for an empty answer, a 204). */
export async function callApi(base: string, method: string, p: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(base + p, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
