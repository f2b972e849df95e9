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
    fallbackReason: z.enum(['timeout', 'provider_error']).optional().describe('Why the built-in analyst answered although OpenAI is configured'),
  })
  .openapi('AiAnswer');
