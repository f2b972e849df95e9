import { ApiRouter } from '../../http/route.js';
import { AiAnswerSchema, askBody } from './ai.schemas.js';
import { askQuestion, businessSummary } from './ai.service.js';

/** Both routes spend the caller's per-minute AI budget (kept in the AI service, shared with the panel page). */
export function aiRoutes() {
  return new ApiRouter('/ai', 'AI')
    .post(
      '/query',
      { operationId: 'askAi', summary: 'Ask a question about sales, stock, suppliers or purchases', access: 'ai:use', body: askBody, response: AiAnswerSchema, errors: [429] },
      ({ body, actor }) => askQuestion(body.question, actor),
    )
    .get(
      '/summary',
      { operationId: 'getAiSummary', summary: 'A short business briefing: sales trend, top and slow movers, stock risks, what to reorder', access: 'ai:use', response: AiAnswerSchema, errors: [429] },
      ({ actor }) => businessSummary(actor),
    );
}
