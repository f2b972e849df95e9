import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import expressLib from 'express';
import { request as httpRequest } from 'node:http';
import { buildApp } from '../../src/app.js';
import { ApiRouter, mountPathOf } from '../../src/http/route.js';

interface Layer {
  name: string;
  rawPath?: string;
  handle: { stack?: Layer[] };
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

/**
 * Every "METHOD /api/..." that Express would answer through the API router,
 * read from the router tree itself. A sub-router without a known mount path
 * (not built with ApiRouter) fails: its routes could never be documented.
 */
function mountedRoutes(stack: Layer[], base: string, out: Set<string>, problems: string[]) {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m])) {
          if (method === '_all') problems.push(`router.all() at ${base}${p} cannot be documented per method`);
          else out.add(`${method} ${toOpenApiPath(`${base}${p === '/' ? '' : p}`)}`);
        }
      }
    } else if (layer.handle.stack) {
      const mount = mountPathOf(layer.handle as never);
      if (mount === undefined) problems.push(`a sub-router under ${base} (${layer.rawPath ?? '?'}) has no mountPathOf: build it with ApiRouter`);
      else mountedRoutes(layer.handle.stack, `${base}${mount}`, out, problems);
    }
  }
}

/** Collects every `$ref` in the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refs(value, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  let app: TestApp;
  let doc: any;
  before(async () => {
    app = await startTestApp();
    doc = (await app.http('GET', '/api/openapi.json')).body;
  });
  after(() => app.close());

  it('when /api/openapi.json is fetched, then it is an OpenAPI 3.1 document with info, paths and the bearer scheme', async () => {
    const res = await app.http('GET', '/api/openapi.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    assert.ok(Object.keys(doc.paths).length > 0);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    assert.ok(doc.components.schemas.Error, 'the error shape is a named schema');
  });

  it('when the operations are inspected, then each is well-formed: a unique lowerCamelCase operationId, responses with descriptions and a 4xx, path parameters declared, $refs resolvable', () => {
    const problems: string[] = [];
    const operationIds = new Set<string>();
    for (const [p, item] of Object.entries<Record<string, any>>(doc.paths)) {
      if (!p.startsWith('/api')) problems.push(`${p} is outside /api`);
      const templated = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of Object.keys(item)) {
        const op = item[method];
        const where = `${method.toUpperCase()} ${p}`;
        if (!(METHODS as readonly string[]).includes(method)) problems.push(`${where}: unexpected key`);
        if (!op.summary) problems.push(`${where}: no summary`);
        const responses = Object.entries<any>(op.responses ?? {});
        if (!responses.length) problems.push(`${where}: no responses`);
        for (const [status, response] of responses) {
          if (!/^[1-5]\d\d$/.test(status)) problems.push(`${where}: bad status ${status}`);
          if (!response.description) problems.push(`${where} ${status}: no description`);
        }
        if (!responses.some(([status]) => status.startsWith('2'))) problems.push(`${where}: no success response`);
        const pathParams = (op.parameters ?? []).filter((x: any) => x.in === 'path');
        for (const name of templated) {
          const param = pathParams.find((x: any) => x.name === name);
          if (!param) problems.push(`${where}: path parameter ${name} not declared`);
          else if (param.required !== true) problems.push(`${where}: path parameter ${name} not required`);
        }
        if (!responses.some(([status]) => status.startsWith('4'))) problems.push(`${where}: no 4xx response`);
        if (typeof op.operationId !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is not lowerCamelCase`);
        else if (operationIds.has(op.operationId)) problems.push(`${where}: duplicate operationId ${op.operationId}`);
        operationIds.add(op.operationId);
      }
    }
    for (const ref of refs(doc)) {
      const match = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
      if (!match || !doc.components?.[match[1]]?.[match[2]]) problems.push(`unresolvable $ref ${ref}`);
    }
    assert.deepEqual(problems, []);
  });

  it('when the operations are named, then the names client generators see stay put', () => {
    const named = new Map<string, string>();
    for (const [p, item] of Object.entries<Record<string, any>>(doc.paths)) for (const [method, op] of Object.entries<any>(item)) named.set(`${method.toUpperCase()} ${p}`, op.operationId);
    assert.equal(named.get('GET /api/products'), 'listProducts');
    assert.equal(named.get('GET /api/products/{id}'), 'getProduct');
    assert.equal(named.get('POST /api/products/{id}/adjust-stock'), 'adjustProductStock');
    assert.equal(named.get('POST /api/sales'), 'createSale');
    assert.equal(named.get('POST /api/sales/{id}/cancel'), 'cancelSale');
    assert.equal(named.get('GET /api/sales/export'), 'exportSales');
  });

  it('when a route is declared without an operationId, with a malformed one or with one already in use, then declaring it throws', () => {
    const probe = new ApiRouter('/probe-ids', 'Probe');
    const spec = { summary: 'Probe', access: 'public' } as const;
    assert.throws(() => probe.get('/missing', spec as never, () => 'x'), /GET \/api\/probe-ids\/missing: operationId must be lowerCamelCase, got undefined/);
    assert.throws(() => probe.get('/blank', { ...spec, operationId: '' }, () => 'x'), /operationId must be lowerCamelCase, got ""/);
    assert.throws(() => probe.get('/dashed', { ...spec, operationId: 'list-probes' }, () => 'x'), /operationId must be lowerCamelCase/);
    assert.throws(() => probe.get('/taken', { ...spec, operationId: 'listProducts' }, () => 'x'), /operationId listProducts is already used by GET \/api\/products$/);
    assert.throws(() => probe.get('/x', { ...spec, operationId: 'probeOne' }, () => 'x').get('/x', { ...spec, operationId: 'probeTwo' }, () => 'x'), /GET \/api\/probe-ids\/x is declared twice/);
  });

  it('when a route without input gets a malformed JSON body, then it answers the 400 every operation documents', async () => {
    // fetch() refuses a body on GET; node:http sends what a careless client would.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const broken = '{"broken';
      const headers = { 'content-type': 'application/json', 'content-length': String(broken.length) };
      const req = httpRequest(`${app.url}/api/health`, { method: 'GET', headers }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(broken);
    });
    assert.equal(status, 400);
    assert.equal(JSON.parse(body).error.code, 'BAD_REQUEST');
    assert.ok(doc.paths['/api/health'].get.responses['400'], 'documented');
  });

  it('when the Express router tree is walked, then every route mounted under /api is documented and every documented route exists', () => {
    const express = buildApp(app.config) as unknown as { router: { stack: Layer[] } };
    const apiLayers = express.router.stack.filter((l) => l.rawPath === '/api' && l.handle.stack);
    assert.equal(apiLayers.length, 1, 'exactly one router is mounted at /api');

    const mounted = new Set<string>();
    const problems: string[] = [];
    mountedRoutes(apiLayers[0].handle.stack!, '/api', mounted, problems);
    assert.deepEqual(problems, []);
    assert.ok(mounted.has('get /api/health'), 'the walk finds known routes');
    assert.ok(mounted.has('post /api/auth/login'));
    assert.ok(mounted.has('delete /api/users/{id}'));

    const documented = new Set<string>();
    for (const [p, item] of Object.entries<object>(doc.paths)) for (const method of Object.keys(item)) documented.add(`${method} ${p}`);

    const undocumented = [...mounted].filter((r) => !documented.has(r)).sort();
    const phantom = [...documented].filter((r) => !mounted.has(r)).sort();
    assert.deepEqual(undocumented, [], 'routes missing from /api/openapi.json');
    assert.deepEqual(phantom, [], 'documented routes that are not mounted');
  });

  it('when a route bypasses ApiRouter, then the walk sees it (so the coverage check would fail)', () => {
    const probe = new ApiRouter('/probe', 'Probe');
    probe.router.get('/raw/:id', (_req, res) => void res.end());
    const plain = expressLib.Router();
    plain.get('/x', (_req, res) => void res.end());
    const api = expressLib.Router();
    api.use(probe.base, probe.router);
    api.use('/plain', plain);

    const mounted = new Set<string>();
    const problems: string[] = [];
    mountedRoutes((api as unknown as { stack: Layer[] }).stack, '/api', mounted, problems);
    assert.deepEqual([...mounted], ['get /api/probe/raw/{id}']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /no mountPathOf/);
  });

  it('when /api/docs is opened, then the browsable docs answer HTML 200 pointing at the document', async () => {
    const res = await app.http('GET', '/api/docs/', { headers: { accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(res.text, /swagger-ui/i);
    const init = await app.http('GET', '/api/docs/swagger-ui-init.js');
    assert.equal(init.status, 200);
    assert.ok(init.text.includes('/api/openapi.json'));
  });
});
