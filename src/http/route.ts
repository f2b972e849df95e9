import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z, ZodObject, ZodType } from 'zod';
import type { Right } from '../shared/rights.js';
import { registry, ErrorSchema } from './openapi.js';
import { authenticateRequest, type AuthUser } from './auth.js';
import { forbidden, unauthenticated } from '../shared/errors.js';
import { refuseNulBytes } from '../shared/text-input.js';
import { can } from '../shared/rights.js';
import type { UserActor } from '../shared/actor.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone ('public'), anyone with an optional token
 * ('optional'), any signed-in user ('authenticated'), or holders of a right.
 */
export type Access = 'public' | 'optional' | 'authenticated' | Right;

export interface RouteSpec<B extends ZodType | undefined, Q extends ZodObject | undefined, P extends ZodObject | undefined> {
  /** The operation's name for client generators (`listProducts`, `cancelSale`): lowerCamelCase, unique across the API. */
  operationId: string;
  summary: string;
  description?: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Success status (default 200; a handler returning undefined answers 204). */
  status?: number;
  /** JSON response schema, or a non-JSON content type (CSV, PDF) for the docs. */
  response?: ZodType | { contentType: string; description: string };
  /** Extra error statuses worth documenting beyond the defaults. */
  errors?: number[];
  /** Middleware that runs after the access check and the validation of a JSON body (rate limiters, multer). */
  before?: RequestHandler[];
}

type Infer<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  /** Set for every access level except 'public' (and 'optional' without a token). */
  user: AuthUser | undefined;
  /** The signed-in caller as services take it (who, role, address); 401 when read without a user. */
  actor: UserActor;
  /** The caller's address, for routes without a signed-in user. */
  ip: string | null;
  req: Request;
  res: Response;
}

const mounts = new WeakMap<Router, string>();
const documented = new Set<string>();
/** operationId -> "METHOD /api/path" */
const routeOf = new Map<string, string>();
const OPERATION_ID = /^[a-z][a-zA-Z0-9]*$/;

/** Where a router is mounted below /api (used by the OpenAPI coverage test). */
export function mountPathOf(router: Router): string | undefined {
  return mounts.get(router);
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input or a malformed JSON body',
  401: 'Missing, invalid, expired or revoked token',
  403: 'Role not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  503: 'Dependency unavailable',
};

/**
 * A feature's routes: each is validate -> access check -> handler -> respond,
 * and each is registered in the OpenAPI document from the same schemas.
 */
export class ApiRouter {
  readonly router: Router = express.Router();

  constructor(
    readonly base: string,
    readonly tag: string,
  ) {
    mounts.set(this.router, base);
  }

  get<B extends ZodType | undefined = undefined, Q extends ZodObject | undefined = undefined, P extends ZodObject | undefined = undefined>(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ) {
    return this.add('get', path, spec, handler);
  }

  post<B extends ZodType | undefined = undefined, Q extends ZodObject | undefined = undefined, P extends ZodObject | undefined = undefined>(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ) {
    return this.add('post', path, spec, handler);
  }

  put<B extends ZodType | undefined = undefined, Q extends ZodObject | undefined = undefined, P extends ZodObject | undefined = undefined>(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ) {
    return this.add('put', path, spec, handler);
  }

  patch<B extends ZodType | undefined = undefined, Q extends ZodObject | undefined = undefined, P extends ZodObject | undefined = undefined>(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ) {
    return this.add('patch', path, spec, handler);
  }

  delete<B extends ZodType | undefined = undefined, Q extends ZodObject | undefined = undefined, P extends ZodObject | undefined = undefined>(
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ) {
    return this.add('delete', path, spec, handler);
  }

  private add<B extends ZodType | undefined, Q extends ZodObject | undefined, P extends ZodObject | undefined>(
    method: Method,
    path: string,
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>>) => unknown,
  ): this {
    this.document(method, path, spec);
    const guard: RequestHandler = async (req, res, next) => {
      res.locals.user = await checkAccess(req, spec.access);
      next();
    };
    // Input is validated before any other middleware reads it (rate limiters key on the parsed body).
    const validate: RequestHandler = (req, res, next) => {
      if (spec.body) refuseNulBytes(req.body);
      refuseNulBytes(req.query);
      refuseNulBytes(req.params);
      res.locals.input = {
        body: spec.body ? spec.body.parse(req.body ?? {}) : undefined,
        query: spec.query ? spec.query.parse(req.query) : undefined,
        params: spec.params ? spec.params.parse(req.params) : undefined,
      };
      if (spec.body) req.body = res.locals.input.body;
      next();
    };
    const run: RequestHandler = async (req, res) => {
      const user = res.locals.user as AuthUser | undefined;
      const input = res.locals.input as { body: Infer<B>; query: Infer<Q>; params: Infer<P> };
      const ctx = {
        ...input,
        user,
        get actor(): UserActor {
          if (!user) throw unauthenticated();
          return { id: user.id, role: user.role, ip: req.ip ?? null };
        },
        ip: req.ip ?? null,
        req,
        res,
      };
      const result = await handler(ctx);
      if (res.headersSent) return;
      if (result === undefined) res.status(204).end();
      else res.status(spec.status ?? 200).json(result);
    };
    // Multipart routes parse their upload in `before` and have no JSON body schema to validate first.
    this.router[method](path, guard, ...(spec.body ? [validate, ...(spec.before ?? [])] : [...(spec.before ?? []), validate]), run);
    return this;
  }

  private document(method: Method, path: string, spec: RouteSpec<ZodType | undefined, ZodObject | undefined, ZodObject | undefined>) {
    const fullPath = `/api${this.base}${path === '/' ? '' : path}`.replace(/:(\w+)/g, '{$1}');
    const route = `${method.toUpperCase()} ${fullPath}`;
    const { operationId } = spec;
    // Client generators name their methods after operationIds: a missing or shared one fails at startup, not in a client.
    if (typeof operationId !== 'string' || !OPERATION_ID.test(operationId)) throw new Error(`${route}: operationId must be lowerCamelCase, got ${JSON.stringify(operationId)}`);
    // Routers built per app (for per-app rate-limit counters) document themselves once.
    if (routeOf.get(operationId) === route) return;
    if (routeOf.has(operationId)) throw new Error(`${route}: operationId ${operationId} is already used by ${routeOf.get(operationId)}`);
    if (documented.has(route)) throw new Error(`${route} is declared twice`);
    routeOf.set(operationId, route);
    documented.add(route);
    const status = spec.status ?? 200;
    const success =
      spec.response && 'contentType' in spec.response
        ? { description: spec.response.description, content: { [spec.response.contentType]: { schema: { type: 'string' as const, format: 'binary' } } } }
        : spec.response
          ? { description: 'Success', content: { 'application/json': { schema: spec.response } } }
          : { description: status === 204 ? 'No content' : 'Success' };
    // express.json() reads a body on every /api route, so any operation can answer 400 for a malformed one.
    const errorStatuses = new Set<number>([400, ...(spec.errors ?? [])]);
    if (spec.access !== 'public') errorStatuses.add(401);
    if (spec.access !== 'public' && spec.access !== 'optional' && spec.access !== 'authenticated') errorStatuses.add(403);
    if (spec.params) errorStatuses.add(404);
    const responses: Record<string, unknown> = { [String(status)]: success };
    for (const code of [...errorStatuses].sort()) {
      responses[String(code)] = { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: ErrorSchema } } };
    }
    registry.registerPath({
      method,
      path: fullPath,
      operationId,
      tags: [this.tag],
      summary: spec.summary,
      description: spec.description ?? (spec.access === 'public' || spec.access === 'optional' || spec.access === 'authenticated' ? undefined : `Requires the \`${spec.access}\` right.`),
      security: spec.access === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { query: spec.query } : {}),
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } }, required: true } } : {}),
      },
      responses: responses as never,
    });
  }
}

async function checkAccess(req: Request, access: Access): Promise<AuthUser | undefined> {
  if (access === 'public') return undefined;
  const user = await authenticateRequest(req);
  if (access === 'optional') return user;
  if (!user) throw unauthenticated();
  if (access === 'authenticated') return user;
  if (!can(user.role, access)) throw forbidden();
  return user;
}
