import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when it says it is running; rejects when it exits first or takes longer than `timeoutMs`. */
  started(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null after a signal) and the moment, by performance.now(). */
  exited: Promise<{ code: number | null; at: number }>;
}

/** Process groups of servers still running, killed when the test process exits, whatever way it does. */
const groups = new Set<number>();
process.once('exit', () => {
  for (const pid of groups) killGroup(pid);
});

/** SIGKILL to a process group, if it is still there. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Runs `command` as the leader of its own process group (killed at exit if still running), for a test to stop or kill. */
export function spawnGroup(command: string, args: string[], options: { cwd?: string; env: Record<string, string | undefined> }): ChildProcess {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const pid = child.pid!;
  groups.add(pid);
  child.once('exit', () => {
    // The group may outlive its leader: take the rest along.
    killGroup(pid);
    groups.delete(pid);
  });
  return child;
}

/** The real server (src/server.ts) in its own process group, configured by `env` alone (plus PATH). */
export function spawnServer(env: Record<string, string>): ServerProcess {
  const child = spawnGroup(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: { PATH: process.env.PATH, ...env } });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: performance.now() })));
  return {
    child,
    output: () => text,
    exited,
    async started(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes('is running at')) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was running:\n${text}`);
        if (Date.now() > deadline) throw new Error(`server not running after ${timeoutMs} ms:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
