import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request's id: the caller's `X-Request-Id` when it is a plain token, else a new UUID; echoed in the response header and in every log line of the request. */
    id: string;
  }
}

const CALLER_ID = /^[\w-]{1,64}$/;
/** Probes polled every few seconds by load balancers: not logged. */
const QUIET = new Set(['/api/health', '/api/ready']);

/**
 * One log line per finished request (`request completed`, or `request
 * aborted` when the client went away first): id, method, path without the
 * query string, status, milliseconds. Written with the shared logger's own
 * serialisation; no child logger per request (what pino-http builds for every
 * request was 5% of a product read's CPU).
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    req.id = typeof incoming === 'string' && CALLER_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    if (QUIET.has(req.url)) return next();
    const started = performance.now();
    const { id, method } = req;
    const path = req.originalUrl.split('?')[0];
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const line = { req: { id, method, url: path }, res: { statusCode: res.statusCode }, responseTime: Math.round(performance.now() - started) };
      log.info(line, res.writableFinished ? 'request completed' : 'request aborted');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
