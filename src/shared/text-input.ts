import { validationFailed, type ErrorDetail } from './errors.js';

/**
 * Text with a NUL character (U+0000) is refused at every door (REST bodies,
 * queries and path parameters, panel forms): SQLite and MariaDB store and
 * compare it differently, and no field of ours has a use for it.
 */
export function refuseNulBytes(input: unknown, where = ''): void {
  const found: ErrorDetail[] = [];
  const visit = (value: unknown, path: string, depth: number) => {
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found.push({ path: path || '(root)', message: 'must not contain a NUL character' });
    } else if (value && typeof value === 'object' && depth < 32) {
      for (const [key, child] of Object.entries(value)) {
        const name = key.split('\u0000').join('\\0');
        const at = path ? `${path}.${name}` : name;
        if (key.includes('\u0000')) found.push({ path: at, message: 'must not contain a NUL character' });
        visit(child, at, depth + 1);
      }
    }
  };
  visit(input, where, 0);
  if (found.length) throw validationFailed(`Invalid input: ${found.map((d) => d.path).join(', ')} must not contain a NUL character`, found);
}
