import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Started {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 200 of `readyPath`. */
  startMs: number;
  stop(): Promise<void>;
}

/** Resident memory of a process in MB, from /proc (Linux); 0 where unavailable. */
export async function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); undefined where unavailable. */
export async function cpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 a second).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The database server's pid on this machine (MariaDB or MySQL), for its CPU beside the load; undefined when not local. */
export async function databasePid(): Promise<number | undefined> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const name = (await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')).trim();
    if (name === 'mariadbd' || name === 'mysqld') return Number(entry);
  }
  return undefined;
}

/** Samples a process's RSS every 50 ms while `work` runs; returns the work's result and the peak. */
export async function withPeakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = await rssMb(pid);
  const timer = setInterval(() => void rssMb(pid).then((mb) => (peak = Math.max(peak, mb))), 50);
  try {
    const result = await work();
    peak = Math.max(peak, await rssMb(pid));
    return { result, peakRssMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Spawns a server process (output appended to `logFile`) and polls
 * `url + readyPath` until it answers 200, timing the start.
 */
export async function startProcess(options: { command: string; args: string[]; env: NodeJS.ProcessEnv; url: string; readyPath: string; logFile: string; timeoutMs?: number }): Promise<Started> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const started = performance.now();
  const child = spawn(options.command, options.args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = started + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (exited !== null) throw new Error(`${options.command} ${options.args.join(' ')} exited with ${exited} before it was ready (see ${options.logFile})`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.url} was not ready in time (see ${options.logFile})`);
    }
    try {
      const res = await fetch(options.url + options.readyPath);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  const startMs = Math.round(performance.now() - started);
  return {
    child,
    pid: child.pid!,
    url: options.url,
    startMs,
    async stop() {
      if (exited === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(forced);
      }
      log.end();
    },
  };
}
