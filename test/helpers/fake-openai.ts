import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply of the fake provider. */
export type Step =
  | { kind: 'tools'; calls: { name: string; args: unknown; id?: string }[] }
  | { kind: 'text'; content: string }
  | { kind: 'error'; status: number }
  | { kind: 'hang' };

export const toolCalls = (...calls: { name: string; args: unknown }[]): Step => ({ kind: 'tools', calls });
export const text = (content: string): Step => ({ kind: 'text', content });

export interface FakeOpenAI {
  /** Base URL for the SDK (ends in /v1). */
  baseURL: string;
  /** Parsed bodies of every POST /v1/chat/completions, in order. */
  requests: any[];
  /** Replies still to give; an empty script answers 500. */
  script(steps: Step[]): void;
  close(): Promise<void>;
}

function completion(step: Step, model: string, n: number) {
  const message =
    step.kind === 'tools'
      ? {
          role: 'assistant',
          content: null,
          tool_calls: step.calls.map((c, i) => ({
            id: c.id ?? `call_${n}_${i}`,
            type: 'function',
            function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) },
          })),
        }
      : { role: 'assistant', content: (step as { content: string }).content };
  return {
    id: `chatcmpl-${n}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: step.kind === 'tools' ? 'tool_calls' : 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** An OpenAI-compatible chat completions endpoint on 127.0.0.1 that replays a script and records requests. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: any[] = [];
  let steps: Step[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
        return;
      }
      const body = JSON.parse(raw);
      requests.push(body);
      const step = steps.shift() ?? { kind: 'error', status: 500 };
      if (step.kind === 'hang') return;
      if (step.kind === 'error') {
        res.writeHead(step.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(step, body.model, requests.length)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    script(next) {
      steps = [...next];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
