import { z } from '../../shared/zod.js';

export const askBody = z
  .object({ question: z.string().trim().min(1, 'Ask a question').max(500, 'At most 500 characters') })
  .openapi('AiQuestion');
export type AskBody = z.infer<typeof askBody>;

export const AiAnswerSchema = z
  .object({
    response: z.string(),
    data: z.record(z.string(), z.unknown()).describe('The tool results (figures) the answer used, by tool name'),
    source: z.enum(['builtin', 'openai']),
    fallbackReason: z
      .enum(['timeout', 'provider_error', 'unverified_figures'])
      .optional()
      .describe("Why the built-in analyst answered although OpenAI is configured (unverified_figures: the model's answer had a number found in no tool result)"),
    intent: z.string().optional().describe('What the built-in analyst understood the question to ask (e.g. top_products, sales_comparison, none)'),
    entities: z
      .object({
        period: z.string().optional().describe('A period key such as this_month, or custom:YYYY-MM-DD..YYYY-MM-DD'),
        metric: z.string().optional(),
        direction: z.string().optional(),
        limit: z.number().optional(),
        days: z.number().optional(),
        product: z.string().optional(),
        category: z.string().optional(),
        supplier: z.string().optional(),
        location: z.string().optional(),
      })
      .optional()
      .describe('The entities the answer used'),
    suggestions: z.array(z.string()).optional().describe('Follow-up questions the analyst can answer'),
  })
  .openapi('AiAnswer');
