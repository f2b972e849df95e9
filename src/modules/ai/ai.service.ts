import type { UserActor } from '../../shared/actor.js';
import { now } from '../../shared/clock.js';
import { getConfig } from '../../config/index.js';
import { reportReads, transaction } from '../../db/index.js';
import { AppError } from '../../shared/errors.js';
import { sharedCounter } from '../../shared/rate-limit-store.js';
import { logger } from '../../shared/logger.js';
import { recordAudit } from '../audit/audit.service.js';
import { getSettings } from '../settings/settings.service.js';
import { builtinAnalyst, builtinSummary, type AnalystAnswer } from './analyst.builtin.js';
import { isProviderTimeout, openaiAnalyst, UnverifiedFiguresError } from './analyst.openai.js';
import type { ToolContext } from './tool.js';

export type AiActor = UserActor;

export interface AiAnswer {
  response: string;
  data: Record<string, unknown>;
  source: 'builtin' | 'openai';
  /** Set when the OpenAI analyst was configured but failed (or gave figures no tool returned) and the built-in analyst answered. */
  fallbackReason?: 'timeout' | 'provider_error' | 'unverified_figures';
  intent?: string;
  entities?: AnalystAnswer['entities'];
  suggestions?: string[];
}

async function context(): Promise<ToolContext> {
  return { settings: await getSettings(), now: now() };
}

/** The OpenAI analyst runs only with a key and when the admin has not switched it off. */
export async function openaiEnabled(): Promise<boolean> {
  return Boolean(getConfig().openai.apiKey) && (await getSettings()).aiEnabled;
}

function reasonOf(err: unknown): NonNullable<AiAnswer['fallbackReason']> {
  if (err instanceof UnverifiedFiguresError) return 'unverified_figures';
  return isProviderTimeout(err) || (err as Error)?.name === 'AbortError' ? 'timeout' : 'provider_error';
}

async function answer(question: string, ctx: ToolContext): Promise<AnalystAnswer> {
  if (!(await openaiEnabled())) return builtinAnalyst(question, ctx);
  try {
    return await openaiAnalyst(question, ctx, ctx.settings.aiModel || getConfig().openai.model);
  } catch (err) {
    const fallbackReason = reasonOf(err);
    logger().warn({ err: (err as Error)?.message, fallbackReason }, 'AI provider failed; the built-in analyst answers');
    return { ...(await builtinAnalyst(question, ctx)), fallbackReason };
  }
}

function audit(actor: AiActor, action: string, changes: Record<string, unknown>) {
  return transaction(() => recordAudit({ userId: actor.id, action, entityType: 'ai', changes, ip: actor.ip ?? null }));
}

function shape(result: AnalystAnswer): AiAnswer {
  return {
    response: result.response,
    data: result.data,
    source: result.source,
    ...(result.fallbackReason ? { fallbackReason: result.fallbackReason as AiAnswer['fallbackReason'] } : {}),
    ...(result.intent ? { intent: result.intent, entities: result.entities ?? {} } : {}),
    ...(result.suggestions?.length ? { suggestions: result.suggestions } : {}),
  };
}

/** Questions and summaries share one per-user budget per minute, whichever door (REST, panel) and instance they come through. */
const budget = sharedCounter('ai-budget', 60_000);

async function spendBudget(userId: number): Promise<void> {
  const { totalHits } = await budget().increment(`user:${userId}`);
  if (totalHits > getConfig().aiRateLimit) throw new AppError('RATE_LIMITED', 'Too many AI requests, try again in a minute', 429);
}

/** Answers a question from the store's data (OpenAI analyst when enabled, else or on failure the built-in one); audit-logged. */
export async function askQuestion(question: string, user: AiActor): Promise<AiAnswer> {
  await spendBudget(user.id);
  const started = Date.now();
  // The analyst's tools only read: report reads (a replica when DATABASE_READ_URLS has one).
  const ctx = await context();
  const result = await reportReads(() => answer(question.trim(), ctx));
  await audit(user, 'ai.query', { question: question.trim(), tools: result.tools, source: result.source, durationMs: Date.now() - started, ...(result.fallbackReason ? { fallbackReason: result.fallbackReason } : {}) });
  return shape(result);
}

/** The short business briefing: sales trend, top and slow movers, stock risks, what to reorder. */
export async function businessSummary(user: AiActor): Promise<AiAnswer> {
  await spendBudget(user.id);
  const started = Date.now();
  const ctx = await context();
  const result = await reportReads(() => builtinSummary(ctx));
  await audit(user, 'ai.summary', { tools: result.tools, source: result.source, durationMs: Date.now() - started });
  return shape(result);
}
