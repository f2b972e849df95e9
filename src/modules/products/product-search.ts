import { QueryTypes } from 'sequelize';
import { db, isSqlite } from '../../db/index.js';

/**
 * Product search over the full-text index of migration 0008 (InnoDB FULLTEXT
 * on MySQL/MariaDB, FTS5 on SQLite), shared by the back-office list, its CSV
 * export and the storefront catalogue.
 *
 * Meaning: the search text is split into words (letters, digits and `_`;
 * everything else separates, so no user input is query syntax); a product
 * matches when every word starts a word of its name, SKU, barcode or
 * description (`rout` finds "Router A1", `stool-1` finds SKU STOOL-1).
 * Products whose SKU or barcode equals the whole text (case-insensitive) are
 * listed first (such a product always matches; text without any word matches
 * only those).
 *
 * On MySQL/MariaDB, words the FULLTEXT index cannot answer (shorter than
 * innodb_ft_min_token_size, longer than innodb_ft_max_token_size, or an
 * InnoDB stopword) are matched with a word-start REGEXP over the same columns
 * instead, on the rows the indexed words already narrowed down.
 */
export interface ProductSearch {
  /** The WHERE condition, values escaped, columns qualified by the alias. */
  where: string;
  /** 0 for exact SKU or barcode hits, 1 for the others: sort by it first. */
  rank: string;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** The search text's distinct words, lower-cased. */
export function searchWords(search: string): string[] {
  return [...new Set(search.toLowerCase().match(WORD) ?? [])];
}

/** InnoDB's default stopword list (information_schema.INNODB_FT_DEFAULT_STOPWORD). */
const INNODB_STOPWORDS = new Set(
  'a about an are as at be by com de en for from how i in is it la of on or that the this to was what when where who will with und www'.split(' '),
);

interface FulltextLimits {
  min: number;
  max: number;
  stopwords: boolean;
}

let limits: Promise<FulltextLimits> | undefined;

/** The server's FULLTEXT token limits, read once per process (they only change with a server restart). */
function fulltextLimits(): Promise<FulltextLimits> {
  limits ??= db()
    .query<{ min: number | string; max: number | string; stopwords: number | string }>(
      'SELECT @@innodb_ft_min_token_size AS min, @@innodb_ft_max_token_size AS max, @@innodb_ft_enable_stopword AS stopwords',
      { type: QueryTypes.SELECT, transaction: null },
    )
    .then(([row]) => ({ min: Number(row.min), max: Number(row.max), stopwords: Number(row.stopwords) === 1 }))
    .catch((err: unknown) => {
      limits = undefined;
      throw err;
    });
  return limits;
}

const COLUMNS = ['name', 'sku', 'barcode', 'description'] as const;

export async function productSearch(search: string, alias: string): Promise<ProductSearch> {
  const sequelize = db();
  const esc = (value: string) => sequelize.escape(value);
  const text = search.trim();
  const column = (name: string) => `${alias}.${name}`;
  const lower = esc(text.toLowerCase());
  const exact = `(LOWER(${column('sku')}) = ${lower} OR LOWER(${column('barcode')}) = ${lower})`;
  const rank = `(CASE WHEN ${exact} THEN 0 ELSE 1 END)`;
  // SKUs are stored upper-cased: the equality uses the unique index.
  const exactIndexed = `(${column('sku')} = ${esc(text.toUpperCase())} OR ${column('barcode')} = ${esc(text)})`;
  const words = searchWords(text);
  if (!words.length) return { where: exactIndexed, rank };

  if (isSqlite()) {
    const match = words.map((w) => `"${w}"*`).join(' AND ');
    return { where: `${column('id')} IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ${esc(match)})`, rank };
  }

  const { min, max, stopwords } = await fulltextLimits();
  const indexed = (w: string) => [...w].length >= min && [...w].length <= max && !(stopwords && INNODB_STOPWORDS.has(w));
  const conditions: string[] = [];
  const fulltext = words.filter(indexed);
  if (fulltext.length) {
    const against = fulltext.map((w) => `+${w}*`).join(' ');
    conditions.push(`MATCH(${COLUMNS.map(column).join(', ')}) AGAINST (${esc(against)} IN BOOLEAN MODE)`);
  }
  for (const word of words.filter((w) => !indexed(w))) {
    const pattern = esc(`(^|[^\\p{L}\\p{N}_])${word}`);
    conditions.push(`(${COLUMNS.map((c) => `${column(c)} REGEXP ${pattern}`).join(' OR ')})`);
  }
  return { where: `(${conditions.join(' AND ')})`, rank };
}
