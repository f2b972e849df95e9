import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Text a spreadsheet would run as a formula, in every shape the exports meet. */
const HOSTILE = ['=HYPERLINK("http://evil.example","x")', '@SUM(A1:A9)', '+cmd|calc', '-2+3', '\tTAB'];

/** A minimal RFC 4180 reader: enough to look at each cell as a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      cell += c;
    } else if (c === ',') {
      endCell();
    } else {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    }
  }
  if (cell || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

const runsAsFormula = (cell: string) => /^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell));

describe('CSV exports', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    const supplier = await app.http('POST', '/api/suppliers', { token: app.adminToken, body: { name: HOSTILE[1] } });
    const products = [];
    for (const [i, text] of HOSTILE.entries()) {
      const res = await app.http('POST', '/api/products', { token: app.adminToken, body: { name: text, description: text, category: 'Tools', price: 5 + i, stock: 50, supplierId: supplier.body.id } });
      assert.equal(res.status, 201, res.text);
      products.push(res.body.id as number);
    }
    const sale = await app.http('POST', '/api/sales', { token: app.adminToken, body: { items: [{ productId: products[0], quantity: 1 }], customerName: HOSTILE[0], notes: HOSTILE[2] } });
    assert.equal(sale.status, 201, sale.text);
    const purchase = await app.http('POST', '/api/purchases', {
      token: app.adminToken,
      body: { supplierId: supplier.body.id, reference: HOSTILE[0], notes: HOSTILE[1], items: [{ productId: products[1], quantity: 3, unitCost: 2 }] },
    });
    assert.equal(purchase.status, 201, purchase.text);
  });
  after(() => app.close());

  for (const path of ['/api/products/export?format=csv', '/api/sales/export?format=csv', '/api/purchases/export?format=csv', '/api/audit-logs/export?format=csv']) {
    it(`when ${path.split('?')[0]} carries text that looks like a formula, then no cell would run as one and the text is kept`, async () => {
      const res = await app.http('GET', path, { token: app.adminToken });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      const rows = parseCsv(res.text);
      assert.ok(rows.length > 1, 'a header and rows');
      const width = rows[0].length;
      for (const row of rows) assert.equal(row.length, width, `every row has ${width} cells: ${row.join('|')}`);
      const cells = rows.flat();
      assert.deepEqual(cells.filter(runsAsFormula), [], 'no cell runs as a formula');
      assert.ok(cells.some((c) => c.includes('HYPERLINK') || c.includes('SUM(A1:A9)')), 'the hostile text is still there, neutralised');
      for (const numeric of cells.filter((c) => /^-\d/.test(c))) assert.match(numeric, /^-?\d+(\.\d+)?$/, 'negative numbers stay numbers');
    });
  }
});
