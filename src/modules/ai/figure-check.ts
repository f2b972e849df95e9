/**
 * The check on a model's answer: every number it states must appear in the
 * tool results it was given (or in the question, or be today's date), allowing
 * for rounding and for a sign dropped in words ("down 7.7%").
 */

/** Numbers in a text, ignoring digits that are part of a name or size ("Router A1", "2m", "500ml"). */
export function numbersIn(text: string): number[] {
  const cleaned = text
    .replace(/\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?\b/g, (d) => ` ${d.slice(0, 10).split('-').map(Number).join(' ')} `)
    .replace(/\b(\d{1,2}):(\d{2})\b/g, ' $1 $2 ');
  const out: number[] = [];
  for (const m of cleaned.matchAll(/(?<![\p{L}\p{N}.,])-?\d[\d,]*(?:\.\d+)?(?![\p{L}\p{N}]|[.,]\d)/gu)) {
    const n = Number(m[0].replace(/,/g, ''));
    if (Number.isFinite(n)) out.push(n);
  }
  return out;
}

/** Every number in a value: numbers themselves, list lengths, and numbers written inside strings (names, dates). */
function collect(value: unknown, into: Set<number>): void {
  if (typeof value === 'number') into.add(value);
  else if (typeof value === 'string') for (const n of numbersIn(value.replace(/(\p{L})(\d)/gu, '$1 $2'))) into.add(n);
  else if (Array.isArray(value)) {
    into.add(value.length);
    for (const v of value) collect(v, into);
  } else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v, into);
}

const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;

function supported(n: number, known: number[]): boolean {
  const d = decimals(n);
  return known.some((v) => [v, Math.abs(v)].some((x) => Math.abs(x - n) < 1e-9 || Math.abs(Number(x.toFixed(d)) - n) < 1e-9));
}

/** The numbers of `answer` that no tool result (nor the question, nor today's date) contains; empty when all check out. */
export function unsupportedNumbers(answer: string, results: unknown, question: string, today: string): number[] {
  const known = new Set<number>();
  collect(results, known);
  collect(question, known);
  collect(today, known);
  const list = [...known];
  return numbersIn(answer).filter((n) => !supported(n, list));
}
