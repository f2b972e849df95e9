import { Agent } from 'node:http';
import { call, type Answer, type CallOptions } from './client.js';

/** One kind of request the clients send, and the status it must answer with. */
export interface LoadStep {
  method: string;
  path: string;
  options?: CallOptions;
  status: number;
}

export interface LoadResult {
  sent: number;
  /** Answers per instance, by X-Served-By. */
  servedBy: Record<string, number>;
  /** What went wrong: an unexpected status (with the body) or a network error. */
  failures: string[];
  /** How many answers each step got with its expected status, by index in `steps`. */
  succeeded: number[];
  ms: number;
}

/**
 * `clients` keep-alive clients sending `steps` in turn to `base`, each
 * waiting `pauseMs` between its requests, until stop() (which resolves once
 * every request sent has been answered or has failed).
 */
export function startLoad(base: string, steps: LoadStep[], options: { clients: number; pauseMs: number }): { stop(): Promise<LoadResult> } {
  const started = performance.now();
  const result: LoadResult = { sent: 0, servedBy: {}, failures: [], succeeded: steps.map(() => 0), ms: 0 };
  let stopping = false;
  const client = async (index: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = index; !stopping; i++) {
      const stepIndex = i % steps.length;
      const step = steps[stepIndex];
      result.sent++;
      const at = Math.round(performance.now() - started);
      try {
        const answer: Answer = await call(base, step.method, step.path, { ...step.options, agent });
        if (answer.servedBy) result.servedBy[answer.servedBy] = (result.servedBy[answer.servedBy] ?? 0) + 1;
        if (answer.status === step.status) result.succeeded[stepIndex]++;
        else result.failures.push(`${step.method} ${step.path} at ${at} ms: ${answer.status} from ${answer.servedBy ?? 'the balancer'} ${answer.text.slice(0, 200)}`);
      } catch (err) {
        result.failures.push(`${step.method} ${step.path} at ${at} ms: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
    agent.destroy();
  };
  const running = Array.from({ length: options.clients }, (_, i) => client(i));
  return {
    async stop() {
      stopping = true;
      await Promise.all(running);
      result.ms = Math.round(performance.now() - started);
      return result;
    },
  };
}
