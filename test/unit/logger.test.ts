import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('logger', () => {
  it('when a process logs asynchronously and then exits as shutdown does, then no line is lost and secrets are redacted', async () => {
    const script = `
      const { createLogger } = await import('./src/shared/logger.ts');
      const log = createLogger('info');
      for (let i = 0; i < 20000; i++) log.info({ i, body: { password: 'secret' } }, 'line');
      log.flush(() => process.exit(0));`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number; body: { password: string } });
    assert.equal(lines.length, 20000);
    assert.equal(lines[19999].i, 19999);
    assert.equal(lines[0].body.password, '[redacted]');
  });
});
