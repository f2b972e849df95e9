import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Malformed requests generated from the served OpenAPI document: for every
 * operation, path parameters, query values and JSON bodies of the wrong type,
 * missing, huge, nested where text is expected, or text where numbers are.
 * Whatever the input, the answer is a 4xx (or a 2xx when it happens to be
 * valid), never a 5xx and never a dropped connection.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
};
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Operations that would end the caller's own session (every later request would be a plain 401). */
const SKIPPED = new Set(['logout']);

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const BAD_PATH_VALUES = ['abc', '-1', '0', '1.5', '99999999999999999999999', '1e400', '0x10', '%20', '%E0%A4%A', 'null', '[]'];
const BAD_QUERY_VALUES = ['abc', 'a\u0000b', '-99999999999999999999', '1e309', '', 'x'.repeat(3000), 'not-a-date', '2026-02-30', '2026-13-45T99:99', 'NaN', 'true', '%E0%A4%A', '{}'];
const HUGE = ['1e308', '-1e308', '9007199254740993', '123456789012345678901234567890', '0.000000000000000000001'];

function resolve(doc: Doc, schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!], depth + 1);
  if (schema.allOf) return schema.allOf.reduce<Schema>((acc, part) => {
    const r = resolve(doc, part, depth + 1);
    return { ...acc, ...r, properties: { ...acc.properties, ...r.properties }, required: [...(acc.required ?? []), ...(r.required ?? [])] };
  }, {});
  const alternative = schema.anyOf ?? schema.oneOf;
  if (alternative) return resolve(doc, alternative.find((s) => s.type !== 'null') ?? alternative[0], depth + 1);
  return schema;
}

function typeOf(schema: Schema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  return t ?? (schema.properties ? 'object' : schema.items ? 'array' : 'any');
}

/** A plausible value, so that one wrong field at a time reaches past the others. */
function sample(doc: Doc, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolve(doc, raw);
  if (schema.enum?.length) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'string':
      return schema.format === 'date-time' ? '2026-06-17T12:00:00.000Z' : schema.format === 'date' ? '2026-06-17' : schema.format === 'email' ? 'fuzz@test.local' : 'fuzz-value';
    case 'integer':
      return Math.max(1, schema.minimum ?? 1);
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [sample(doc, schema.items, depth + 1)];
    case 'object':
      return depth > 4 ? {} : Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(doc, v, depth + 1)]));
    default:
      return 'x';
  }
}

/** Values of the wrong kind for a field of this schema. */
function wrongValues(doc: Doc, raw: Schema): unknown[] {
  const schema = resolve(doc, raw);
  const common: unknown[] = [null, {}, [], { toString: 'x' }, ['a', 'b']];
  switch (typeOf(schema)) {
    case 'string':
      return [...common, 12345, true, 1e308, 'x'.repeat(70_000), 'not-a-date', '\u0000', '\ud800', ' '];
    case 'integer':
    case 'number':
      return [...common, 'abc', '12', 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1.5, -1, 0, true, '1e400'];
    case 'boolean':
      return [...common, 'true', 1, 'yes'];
    case 'array':
      return [...common.filter((v) => !Array.isArray(v)), 'x', [null], [{}], [1e308], new Array(2000).fill(1), [[[]]]];
    default:
      return [...common, 'x', 1e308, -1];
  }
}

interface Probe {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  label: string;
}

function probesFor(doc: Doc, method: string, template: string, op: Operation, random: () => number): Probe[] {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const fill = (overrides: Record<string, string> = {}) => template.replace(/\{(\w+)\}/g, (_, name: string) => overrides[name] ?? '999999');
  const probes: Probe[] = [];
  for (const p of pathParams) {
    for (const value of BAD_PATH_VALUES.filter(() => random() < 0.6)) probes.push({ method, path: fill({ [p.name]: value }), label: `path ${p.name}=${value}` });
  }
  for (const q of queryParams) {
    const picks = BAD_QUERY_VALUES.filter(() => random() < 0.2);
    for (const value of picks) probes.push({ method, path: `${fill()}?${q.name}=${encodeURIComponent(value)}`, label: `query ${q.name}=${value.slice(0, 20)}` });
    probes.push({ method, path: `${fill()}?${q.name}=1&${q.name}=2`, label: `query ${q.name} twice` });
    probes.push({ method, path: `${fill()}?${q.name}[$gt]=1`, label: `query ${q.name} as an object` });
    probes.push({ method, path: `${fill()}?${q.name}=${HUGE[Math.floor(random() * HUGE.length)]}`, label: `query ${q.name} huge` });
  }
  const schema = op.requestBody?.content['application/json']?.schema;
  if (schema) {
    const json = (value: unknown, label: string) => probes.push({ method, path: fill(), body: JSON.stringify(value), contentType: 'application/json', label });
    for (const whole of [[], 'text', null, 42, {}, [{}], { __proto__: { admin: true } }]) json(whole, `body ${JSON.stringify(whole)}`);
    probes.push({ method, path: fill(), body: '{"a":', contentType: 'application/json', label: 'body truncated JSON' });
    probes.push({ method, path: fill(), body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', label: 'body as a form' });
    probes.push({ method, path: fill(), body: '{"a":1}', contentType: 'application/json; charset=utf-7', label: 'body in an odd charset' });
    const resolved = resolve(doc, schema);
    const base = sample(doc, resolved) as Record<string, unknown>;
    for (const [field, fieldSchema] of Object.entries(resolved.properties ?? {})) {
      const wrong = wrongValues(doc, fieldSchema).filter(() => random() < 0.25);
      for (const value of wrong) json({ ...base, [field]: value }, `body ${field}=${JSON.stringify(value)?.slice(0, 30)}`);
      const { [field]: _dropped, ...missing } = base;
      json(missing, `body without ${field}`);
      const inner = resolve(doc, fieldSchema);
      if (typeOf(inner) === 'array' && typeOf(resolve(doc, inner.items)) === 'object') {
        const item = sample(doc, inner.items) as Record<string, unknown>;
        for (const [sub, subSchema] of Object.entries(resolve(doc, inner.items).properties ?? {})) {
          const value = wrongValues(doc, subSchema)[Math.floor(random() * 8)];
          json({ ...base, [field]: [{ ...item, [sub]: value }] }, `body ${field}[0].${sub}=${JSON.stringify(value)?.slice(0, 30)}`);
        }
      }
    }
  }
  return probes;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let app: TestApp;
  let customer: string;
  before(async () => {
    app = await startTestApp({ AUTH_RATE_LIMIT: '100000', AI_RATE_LIMIT: '100000' });
    customer = (await app.userWithRole('customer')).token;
    await app.http('POST', '/api/products', { token: app.adminToken, body: { name: 'Fuzz target', price: 5, costPrice: 2, stock: 10 } });
  });
  after(() => app.close());

  it('when hundreds of malformed requests hit every operation, then none gets a 5xx or a dropped connection', async () => {
    const doc = (await app.http<Doc>('GET', '/api/openapi.json')).body;
    const random = seeded(20261202);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (SKIPPED.has(op.operationId)) continue;
        // Shopper-only operations refuse staff before reading input: they are fuzzed as a customer.
        const probe = await app.http(method.toUpperCase(), template.replace(/\{\w+\}/g, '999999'), { token: app.adminToken });
        const token = probe.status === 403 ? customer : app.adminToken;
        for (const p of probesFor(doc, method.toUpperCase(), template, op, random)) {
          sent += 1;
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (p.contentType) headers['content-type'] = p.contentType;
          try {
            const res = await fetch(app.url + p.path, { method: p.method, headers, body: p.body });
            const text = await res.text();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status >= 500) failures.push(`${op.operationId} ${p.label}: ${res.status} ${text.slice(0, 160)}`);
          } catch (err) {
            failures.push(`${op.operationId} ${p.label}: ${(err as Error).message}`);
          }
        }
      }
    }
    console.log(`fuzz: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    assert.ok(sent >= 300, `only ${sent} requests generated`);
    assert.deepEqual(failures, []);
    // The server is still healthy and the admin still signed in.
    assert.equal((await app.http('GET', '/api/auth/me', { token: app.adminToken })).status, 200);
  });
});
