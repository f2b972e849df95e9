import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/free-port.js';

/**
 * The real server process (src/server.ts) gets SIGTERM while keep-alive
 * clients keep sending and slow requests are half-way in: it stops taking
 * new connections, answers what is in flight with `Connection: close`,
 * closes idle keep-alive sockets and exits 0 well inside its 10 s limit.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@shutdown.local', password: 'admin-password-123' };

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

function send(port: number, agent: Agent, method: string, p: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: p, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, reusedSocket: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('shutdown on SIGTERM', () => {
  let dataDir: string;
  let child: ChildProcess;
  let port: number;
  let output = '';

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-shutdown-'));
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${path.join(dataDir, 'db.sqlite')}`,
        UPLOAD_DIR: path.join(dataDir, 'uploads'),
        // One bundle for the test files of a run, as the browser tests share theirs.
        ADMIN_JS_TMP_DIR: path.join(os.tmpdir(), `stockpilot-admin-bundle-${process.ppid}`),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        SEED_DEMO: 'false',
        BCRYPT_COST: '4',
        LOG_LEVEL: 'info',
        AUTH_RATE_LIMIT: '1000',
      },
    });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const started = Date.now();
    while (!output.includes('is running at')) {
      assert.equal(child.exitCode, null, `server exited: ${output}`);
      assert.ok(Date.now() - started < 90_000, `server did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when SIGTERM arrives while clients keep sending on kept-alive connections, then in-flight requests complete with Connection: close and the process exits 0 within 5 s', async () => {
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
    let termAt = Infinity;

    // Keep-alive clients, each sending its next request the moment the last is answered: readiness checks and sign-ins.
    const hammer = async (agent: Agent, index: number) => {
      const answers: (Answer & { sentAfterTerm: boolean })[] = [];
      const errors: string[] = [];
      for (;;) {
        const sentAfterTerm = performance.now() > termAt;
        try {
          const answer = index % 2 ? await send(port, agent, 'POST', '/api/auth/login', JSON.stringify(ADMIN)) : await send(port, agent, 'GET', '/api/ready');
          answers.push({ ...answer, sentAfterTerm });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          // Refused: the listener is closed, the server is going; the loop is over.
          if (code === 'ECONNREFUSED') break;
          errors.push(code);
          if (errors.length > 50) break;
        }
      }
      agent.destroy();
      return { answers, errors };
    };
    const agents = Array.from({ length: 4 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const hammering = agents.map((agent, i) => hammer(agent, i));

    // An idle kept-alive connection that must not hold the shutdown up (the server's keep-alive timeout is 5 s).
    const idleAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await send(port, idleAgent, 'GET', '/api/health')).status, 200);

    // Slow requests: headers and half a body are in when SIGTERM arrives; the rest comes later.
    const slow = Array.from({ length: 3 }, () => {
      const body = JSON.stringify(ADMIN);
      return new Promise<Answer>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/auth/login', agent: new Agent({ keepAlive: true }), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, reusedSocket: false }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 1_200);
      });
    });

    await new Promise((r) => setTimeout(r, 600));
    termAt = performance.now();
    child.kill('SIGTERM');

    const slowAnswers = await Promise.all(slow);
    const results = await Promise.all(hammering);
    const { code, at } = await exited;
    const shutdownMs = Math.round(at - termAt);
    const answers = results.flatMap((r) => r.answers);
    const closing = answers.filter((a) => a.headers.connection === 'close');
    const errors = results.flatMap((r) => r.errors);
    console.log(
      `shutdown: exit ${code} after ${shutdownMs} ms; ${answers.length} answers to the keep-alive clients (${answers.filter((a) => a.sentAfterTerm).length} to requests sent after SIGTERM), ${closing.length} with Connection: close (${closing.filter((a) => a.status === 503).length} of them 503 not-ready), connection errors: ${JSON.stringify(errors)}`,
    );

    assert.equal(code, 0, output.split('\n').slice(-5).join('\n'));
    assert.ok(shutdownMs < 5_000, `exited ${shutdownMs} ms after SIGTERM`);
    for (const a of slowAnswers) {
      assert.equal(a.status, 200, a.body);
      assert.ok(JSON.parse(a.body).token, 'the in-flight login completed');
      assert.equal(a.headers.connection, 'close');
    }
    assert.ok(answers.some((a) => a.reusedSocket), 'the clients really kept their connections alive');
    assert.deepEqual(answers.filter((a) => a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body}`), []);
    // Not ready is said only while stopping, and only with the connection closing.
    assert.deepEqual(answers.filter((a) => a.status === 503 && a.headers.connection !== 'close'), []);
    // A request written onto a socket the server was closing at that instant can only be reset; nothing else fails.
    assert.deepEqual(errors.filter((e) => e !== 'ECONNRESET' && e !== 'socket hang up'), []);
    assert.match(output, /shutdown complete/);
    idleAgent.destroy();
  });
});
