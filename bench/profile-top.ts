// Prints where a .cpuprofile spent its time: the top functions by self time and the share per package.
// Usage: npm run bench:profile -- bench/results/profiles/<file>.cpuprofile [count]
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const [file, count = '25'] = process.argv.slice(2);
if (!file) throw new Error('Usage: npm run bench:profile -- <file.cpuprofile> [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.includes('/dist/src/')) return 'stockpilot';
  return url.startsWith('node:') || url === '' ? '(node, gc, idle)' : url;
};
const functions = new Map<string, number>();
const packages = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame } = byId.get(id)!;
  const name = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${callFrame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + us);
  packages.set(where(callFrame.url), (packages.get(where(callFrame.url)) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
console.log(`${(total / 1e6).toFixed(1)} s sampled\n\nBy package:`);
for (const [name, us] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${name}`);
console.log('\nBy function (self time):');
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) console.log(`${pct(us)}  ${name}`);
