import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { killGroup, spawnServer, type ServerProcess } from '../helpers/server-process.js';

/**
 * The real server process (src/server.ts) gets SIGTERM while keep-alive
 * clients keep sending and slow requests are half-way in: `/api/ready`
 * answers 503 at once while everything else is served as usual for the grace
 * period (SHUTDOWN_GRACE_MS); then it stops taking new connections, answers
 * what is in flight with `Connection: close`, closes idle keep-alive sockets,
 * cuts a request that never finishes and exits 0 inside its 10 s limit.
 */

const ADMIN = { email: 'admin@shutdown.local', password: 'admin-password-123' };
/** SHUTDOWN_GRACE_MS's default, which the server runs with here. */
const GRACE_MS = 2_000;
/** Time allowed for SIGTERM to reach the server's event loop. */
const SIGNAL_MARGIN_MS = 250;

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
  let server: ServerProcess;
  let child: ChildProcess;
  let port: number;
  const output = () => server.output();

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-shutdown-'));
    port = await freePort();
    server = spawnServer({
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
    });
    child = server.child;
    await server.started();
  });
  after(() => {
    killGroup(child.pid!);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when SIGTERM arrives while clients keep sending on kept-alive connections, then ready turns 503 at once, everything else is served through the grace period, in-flight requests then complete with Connection: close, a straggler is cut, and the process exits 0 within 10 s', async () => {
    const exited = server.exited;
    let termAt = Infinity;
    const sinceTerm = () => performance.now() - termAt;

    // Keep-alive clients, each sending its next request the moment the last is answered: readiness checks and sign-ins.
    const hammer = async (agent: Agent, index: number) => {
      const answers: (Answer & { path: string; sentAt: number })[] = [];
      const errors: string[] = [];
      for (;;) {
        const sentAt = sinceTerm();
        const p = index % 2 ? '/api/auth/login' : '/api/ready';
        try {
          const answer = index % 2 ? await send(port, agent, 'POST', p, JSON.stringify(ADMIN)) : await send(port, agent, 'GET', p);
          answers.push({ ...answer, path: p, sentAt });
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

    // Slow requests: headers and part of a body are in when SIGTERM arrives. Three send the rest after the
    // grace period (in flight when the server stops accepting); one never does (a straggler to cut).
    const slowLogin = (restAfterTermMs: number | undefined) => {
      const body = JSON.stringify(ADMIN);
      return new Promise<Answer>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/auth/login', agent: new Agent({ keepAlive: true }), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text, reusedSocket: false }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        if (restAfterTermMs !== undefined) void termed.then(() => setTimeout(() => req.end(body.slice(10)), restAfterTermMs));
      });
    };
    let signalled!: () => void;
    const termed = new Promise<void>((resolve) => (signalled = resolve));
    const slow = Array.from({ length: 3 }, () => slowLogin(GRACE_MS + 800));
    const straggler = slowLogin(undefined).then(
      (a) => `answered ${a.status}`,
      (err: NodeJS.ErrnoException) => err.code ?? err.message,
    );

    await new Promise((r) => setTimeout(r, 600));
    termAt = performance.now();
    child.kill('SIGTERM');
    signalled();

    // During the grace period the server still takes new connections; once it is over it refuses them.
    const fresh = (afterMs: number) =>
      new Promise((r) => setTimeout(r, afterMs)).then(() =>
        send(port, new Agent(), 'POST', '/api/auth/login', JSON.stringify(ADMIN)).then(
          (a) => `${a.status}`,
          (err: NodeJS.ErrnoException) => err.code ?? err.message,
        ),
      );
    const [freshInGrace, freshAfterGrace] = await Promise.all([fresh(GRACE_MS / 2), fresh(GRACE_MS + 500)]);

    const slowAnswers = await Promise.all(slow);
    const results = await Promise.all(hammering);
    const { code, at } = await exited;
    const shutdownMs = Math.round(at - termAt);
    const answers = results.flatMap((r) => r.answers);
    const errors = results.flatMap((r) => r.errors);
    // Well inside the grace period (a margin for the signal to arrive), and after it.
    const inGrace = answers.filter((a) => a.sentAt > SIGNAL_MARGIN_MS && a.sentAt < GRACE_MS - SIGNAL_MARGIN_MS);
    const afterGrace = answers.filter((a) => a.sentAt > GRACE_MS + SIGNAL_MARGIN_MS);
    const before = answers.filter((a) => a.sentAt < 0);
    const readyInGrace = inGrace.filter((a) => a.path === '/api/ready');
    const loginsInGrace = inGrace.filter((a) => a.path === '/api/auth/login');
    const firstNotReady = Math.round(Math.min(...answers.filter((a) => a.status === 503).map((a) => a.sentAt)));
    console.log(
      `shutdown: exit ${code} after ${shutdownMs} ms; ${answers.length} answers to the keep-alive clients: ${before.length} before SIGTERM, ` +
        `${inGrace.length} in the grace period (${readyInGrace.length} ready checks, all 503 from ${firstNotReady} ms; ${loginsInGrace.length} sign-ins), ` +
        `${afterGrace.length} after it (${afterGrace.filter((a) => a.headers.connection === 'close').length} with Connection: close); ` +
        `fresh connection in the grace period: ${freshInGrace}, after it: ${freshAfterGrace}; straggler: ${await straggler}; connection errors: ${JSON.stringify(errors)}`,
    );

    assert.equal(code, 0, output().split('\n').slice(-5).join('\n'));
    assert.ok(shutdownMs >= GRACE_MS && shutdownMs < 10_000, `exited ${shutdownMs} ms after SIGTERM`);
    assert.ok(answers.some((a) => a.reusedSocket), 'the clients really kept their connections alive');
    assert.deepEqual(answers.filter((a) => a.status !== 200 && a.status !== 503).map((a) => `${a.status} ${a.body}`), []);

    // Ready until SIGTERM, not ready at once after it, and only then.
    assert.ok(before.some((a) => a.path === '/api/ready'));
    assert.deepEqual(answers.filter((a) => a.status === 503 && (a.path !== '/api/ready' || a.sentAt < 0)).map((a) => `${a.path} at ${a.sentAt}`), []);
    assert.ok(readyInGrace.length > 0);
    assert.deepEqual(readyInGrace.filter((a) => a.status !== 503).map((a) => `${a.status} at ${a.sentAt}`), []);
    assert.ok(firstNotReady < SIGNAL_MARGIN_MS, `the first 503 was to a check sent ${firstNotReady} ms after SIGTERM`);
    // Everything else is served as usual meanwhile: kept-alive connections stay open, a new one is taken.
    assert.ok(loginsInGrace.length > 0);
    assert.deepEqual(loginsInGrace.filter((a) => a.status !== 200 || a.headers.connection === 'close').map((a) => `${a.status} ${a.headers.connection}`), []);
    assert.equal(freshInGrace, '200');
    assert.equal(freshAfterGrace, 'ECONNREFUSED');
    // After it, what arrives on a kept-alive connection is answered once, closing.
    assert.deepEqual(afterGrace.filter((a) => a.headers.connection !== 'close').map((a) => `${a.path} at ${a.sentAt}`), []);
    for (const a of slowAnswers) {
      assert.equal(a.status, 200, a.body);
      assert.ok(JSON.parse(a.body).token, 'the in-flight login completed');
      assert.equal(a.headers.connection, 'close');
    }
    // The request that never finished sending was cut, not waited for.
    assert.match(await straggler, /ECONNRESET|socket hang up/);
    assert.match(output(), /requests still running after the drain time were cut/);
    // A request written onto a socket the server was closing at that instant can only be reset; nothing else fails.
    assert.deepEqual(errors.filter((e) => e !== 'ECONNRESET' && e !== 'socket hang up'), []);
    assert.match(output(), /shutdown complete/);
    idleAgent.destroy();
  });
});
