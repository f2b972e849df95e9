import type { CurrentAdmin } from 'adminjs';
import { actorId, panelActor } from '../../../src/admin/access.js';
import { askBody } from '../../../src/modules/ai/ai.schemas.js';
import { askQuestion, businessSummary, type AiAnswer } from '../../../src/modules/ai/ai.service.js';
import { logger } from '../../../src/shared/logger.js';
import { getSettings } from '../../../src/modules/settings/settings.service.js';
import { AppError } from '../../../src/shared/errors.js';
import { can } from '../../../src/shared/rights.js';

interface PageRequest {
  method?: string;
  payload?: Record<string, unknown>;
}

/** `currency` (the business currency) lets the page show money as money. */
export type InsightsPageResult = { allowed: false } | { allowed: true; kind: 'answer' | 'summary'; answer: AiAnswer; currency: string } | { allowed: true; error: string };

/**
 * The insights page's door to the AI service, like POST /api/ai/query and
 * GET /api/ai/summary: POST asks the question, GET loads the briefing. The
 * question is validated with the REST schema so both doors accept the same input.
 */
export async function insightsPageHandler(request: PageRequest, _response: unknown, context: { currentAdmin?: CurrentAdmin }): Promise<InsightsPageResult> {
  if (!can(context.currentAdmin?.role as string | undefined, 'ai:use')) return { allowed: false };
  if (actorId(context.currentAdmin) === null) return { allowed: false };
  const actor = panelActor(context.currentAdmin, request);
  try {
    if (request.method !== 'post') return { allowed: true, kind: 'summary', answer: await businessSummary(actor), currency: (await getSettings()).currency };
    const parsed = askBody.safeParse({ question: request.payload?.question ?? '' });
    if (!parsed.success) return { allowed: true, error: parsed.error.issues[0]?.message ?? 'Invalid question' };
    return { allowed: true, kind: 'answer', answer: await askQuestion(parsed.data.question, actor), currency: (await getSettings()).currency };
  } catch (err) {
    // The per-user AI budget is the one expected refusal; say so instead of a generic failure.
    if (err instanceof AppError && err.code === 'RATE_LIMITED') return { allowed: true, error: err.message };
    // Provider failures already fell back inside the service; anything left is unexpected and stays server-side.
    logger().error({ err: (err as Error)?.message }, 'AI insights page failed');
    return { allowed: true, error: 'The insights could not be loaded, please try again.' };
  }
}
