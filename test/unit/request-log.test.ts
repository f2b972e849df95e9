import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { requestLog } from '../../src/http/request-log.js';

/** The middleware in a real Express app on a real port, logging into memory. */
async function withApp(run: (url: string, lines: () => Record<string, unknown>[]) => Promise<void>) {
  let text = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) });
  const app = express();
  app.use(requestLog(pino({}, sink)));
  app.get('/api/health', (_req, res) => res.json({ status: 'ok' }));
  app.get('/api/things/:id', (req, res) => res.status(req.params.id === '404' ? 404 : 200).json({ id: req.id }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('request log', () => {
  it('when requests finish, then one line each with id, method, path without the query, status and time; health probes are not logged', async () => {
    await withApp(async (url, lines) => {
      const ok = await fetch(`${url}/api/things/7?token=secret`, { headers: { 'x-request-id': 'caller-id_1' } });
      assert.equal(ok.headers.get('x-request-id'), 'caller-id_1');
      assert.equal((await ok.json()).id, 'caller-id_1');
      const missing = await fetch(`${url}/api/things/404`, { headers: { 'x-request-id': 'not a token!' } });
      const generated = missing.headers.get('x-request-id')!;
      assert.match(generated, /^[0-9a-f-]{36}$/);
      assert.equal((await fetch(`${url}/api/health`)).status, 200);
      await new Promise((resolve) => setImmediate(resolve));
      const logged = lines();
      assert.equal(logged.length, 2, JSON.stringify(logged));
      assert.deepEqual(logged.map((l) => [l.msg, l.req, l.res]), [
        ['request completed', { id: 'caller-id_1', method: 'GET', url: '/api/things/7' }, { statusCode: 200 }],
        ['request completed', { id: generated, method: 'GET', url: '/api/things/404' }, { statusCode: 404 }],
      ]);
      assert.ok(logged.every((l) => Number.isInteger(l.responseTime) && (l.responseTime as number) >= 0));
    });
  });
});
