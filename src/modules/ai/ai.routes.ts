import rateLimit from 'express-rate-limit';
import type { Response } from 'express';
import { getConfig } from '../../config/index.js';
import { AppError } from '../../shared/errors.js';
import { ApiRouter } from '../../http/route.js';
import type { AuthUser } from '../../http/auth.js';
import { AiAnswerSchema, askBody } from './ai.schemas.js';
import { askQuestion, businessSummary } from './ai.service.js';

/** Per user (the access check has already run), one shared budget for questions and summaries. */
function perUserLimit() {
  return rateLimit({
    windowMs: 60_000,
    limit: () => getConfig().aiRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req, res: Response) => `user:${(res.locals.user as AuthUser).id}`,
    handler: (_req, _res, next) => next(new AppError('RATE_LIMITED', 'Too many AI requests, try again in a minute', 429)),
  });
}

/** Built per app so each app (and each test) has its own limiter counters. */
export function aiRoutes() {
  const limit = perUserLimit();
  return new ApiRouter('/ai', 'AI')
    .post(
      '/query',
      { summary: 'Ask a question about sales, stock, suppliers or purchases', access: 'ai:use', body: askBody, response: AiAnswerSchema, errors: [429], before: [limit] },
      ({ body, user, req }) => askQuestion(body.question, { id: user!.id, ip: req.ip }),
    )
    .get(
      '/summary',
      { summary: 'A short business briefing: sales trend, top and slow movers, stock risks, what to reorder', access: 'ai:use', response: AiAnswerSchema, errors: [429], before: [limit] },
      ({ user, req }) => businessSummary({ id: user!.id, ip: req.ip }),
    );
}
