import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * Product search over the full-text index (FTS5 on SQLite, InnoDB FULLTEXT on
 * MariaDB): word-prefix matching, exact SKU/barcode hits first, the count of
 * the same match, the list's filters and paging, and hostile input.
 */
describe('product search', () => {
  let app: TestApp;
  let admin: string;
  const category = 'SearchCat';
  const ids: Record<string, number> = {};
  const create = async (key: string, body: Record<string, unknown>) => {
    const res = await app.http('POST', '/api/products', { token: admin, body: { category, price: 10, stock: 5, ...body } });
    assert.equal(res.status, 201, res.text);
    ids[key] = res.body.id;
  };
  const search = async (text: string, extra = '') => {
    const res = await app.http('GET', `/api/products?category=${category}&search=${encodeURIComponent(text)}&limit=100${extra}`, { token: admin });
    assert.equal(res.status, 200, res.text);
    return res.body as { data: { id: number; name: string }[]; total: number };
  };
  const names = (page: { data: { name: string }[] }) => page.data.map((p) => p.name);

  before(async () => {
    app = await startTestApp();
    admin = app.adminToken;
    await create('router', { name: 'Router A1', description: 'dual band wifi', price: 90 });
    await create('trout', { name: 'Trout Fillet', description: 'smoked fish', price: 12 });
    await create('cable', { name: 'Zulu Cable', sku: 'CAB-9', price: 5 });
    await create('adapter', { name: 'Alpha Adapter', description: 'fits cab 9 ports', price: 7 });
    await create('scanned', { name: 'Zz Scanner Label', barcode: '4006381333931', price: 3 });
    await create('mentions', { name: 'Aa Label Roll', description: 'pairs with 4006381333931 labels', price: 4 });
    await create('stopword', { name: 'The Whole Thing', description: 'about it', price: 20 });
    await create('under', { name: 'Snake_case Widget', price: 8 });
    await create('archived', { name: 'Router Old', price: 1 });
    // With a sale it is archived, not destroyed.
    assert.equal((await app.http('POST', '/api/sales', { token: admin, body: { items: [{ productId: ids.archived, quantity: 1 }] } })).status, 201);
    assert.equal((await app.http('DELETE', `/api/products/${ids.archived}`, { token: admin })).status, 200);
  });
  after(() => app?.close());

  it('when a word starts a word of the name, SKU, barcode or description, then the product matches (not inside a word)', async () => {
    assert.deepEqual(names(await search('rout')), ['Router A1']);
    assert.deepEqual(names(await search('ROUTER a1')), ['Router A1']);
    assert.deepEqual(names(await search('a1')), ['Router A1']);
    assert.deepEqual(names(await search('wif')), ['Router A1']);
    assert.deepEqual(names(await search('fillet')), ['Trout Fillet']);
    assert.deepEqual(names(await search('outer')), []);
    assert.deepEqual(names(await search('router fish')), []);
    // Short words and InnoDB stopwords still match (the MariaDB fallback).
    assert.deepEqual(names(await search('the')), ['The Whole Thing']);
    assert.deepEqual(names(await search('whole it')), ['The Whole Thing']);
    assert.deepEqual(names(await search('snake_c')), ['Snake_case Widget']);
  });

  it('when the text is a SKU or a barcode, then that product comes first, before the requested sort', async () => {
    assert.deepEqual(names(await search('cab-9')), ['Zulu Cable', 'Alpha Adapter']);
    assert.deepEqual(names(await search('CAB-9', '&sort=-price')), ['Zulu Cable', 'Alpha Adapter']);
    assert.deepEqual(names(await search('cab 9', '&sort=-price')), ['Alpha Adapter', 'Zulu Cable']);
    assert.deepEqual(names(await search('4006381333931')), ['Zz Scanner Label', 'Aa Label Roll']);
    assert.deepEqual(names(await search('4006381333931', '&sort=-price')), ['Zz Scanner Label', 'Aa Label Roll']);
    // Not exact: the requested sort alone.
    assert.deepEqual(names(await search('label')), ['Aa Label Roll', 'Zz Scanner Label']);
    assert.deepEqual(names(await search('label', '&sort=-price')), ['Aa Label Roll', 'Zz Scanner Label']);
  });

  it('when paging, then the total is the count of the same match and the pages cover it once', async () => {
    const all = await search('a');
    assert.ok(all.total >= 4, `total ${all.total}`);
    assert.equal(all.total, all.data.length);
    const seen: number[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 2); page++) {
      const res = await app.http('GET', `/api/products?category=${category}&search=a&limit=2&page=${page}&sort=-price`, { token: admin });
      assert.equal(res.body.total, all.total);
      seen.push(...res.body.data.map((p: { id: number }) => p.id));
    }
    assert.deepEqual([...seen].sort((x, y) => x - y), all.data.map((p) => p.id).sort((x, y) => x - y));
    assert.deepEqual((await search('label', '&minPrice=3.5')).data.map((p) => p.id), [ids.mentions]);
    assert.equal((await search('router', '&includeArchived=true')).total, 2);
    assert.equal((await search('router')).total, 1);
  });

  it('when a product is renamed, deleted or added, then the index and the totals follow at once', async () => {
    await create('renamed', { name: 'Quokka Lamp' });
    assert.deepEqual(names(await search('quokka')), ['Quokka Lamp']);
    const res = await app.http('PUT', `/api/products/${ids.renamed}`, { token: admin, body: { name: 'Wombat Lamp', description: 'dim' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(names(await search('quokka')), []);
    assert.deepEqual(names(await search('wombat dim')), ['Wombat Lamp']);
    const byStock = async () => (await search('lamp', '&sort=stock')).total;
    assert.equal(await byStock(), 1);
    assert.equal((await app.http('DELETE', `/api/products/${ids.renamed}`, { token: admin })).status, 204);
    assert.deepEqual(names(await search('wombat')), []);
    assert.equal(await byStock(), 0);
    await create('again', { name: 'Numbat Lamp', stock: 2 });
    assert.equal(await byStock(), 1);
    assert.deepEqual((await search('lamp', '&sort=-stock&inStock=true')).data.map((p) => p.id), [ids.again]);
  });

  it('when a search is ordered by stock, then each page follows the stock of now (a sale moves a product), exact hits first, archived ones on request', async () => {
    for (const [key, stock] of [['kiwiA', 5], ['kiwiB', 3], ['kiwiC', 9]] as const) await create(key, { name: `Kiwi Crate ${key.slice(-1)}`, stock });
    const order = async (extra = '') => (await search('kiwi', `&sort=stock${extra}`)).data.map((p) => p.id);
    assert.deepEqual(await order(), [ids.kiwiB, ids.kiwiA, ids.kiwiC]);
    // A sale changes stock only: the same search is ordered by the new figures at once.
    assert.equal((await app.http('POST', '/api/sales', { token: admin, body: { items: [{ productId: ids.kiwiA, quantity: 4 }] } })).status, 201);
    assert.deepEqual(await order(), [ids.kiwiA, ids.kiwiB, ids.kiwiC]);
    const descending = await search('kiwi', '&sort=-stock');
    assert.deepEqual(descending.data.map((p) => p.id), [ids.kiwiC, ids.kiwiB, ids.kiwiA]);
    assert.deepEqual(descending.data.map((p) => (p as unknown as { stock: number }).stock), [9, 3, 1]);
    const second = await app.http('GET', `/api/products?category=${category}&search=kiwi&sort=stock&limit=2&page=2`, { token: admin });
    assert.deepEqual([second.body.total, second.body.data.map((p: { id: number }) => p.id)], [3, [ids.kiwiC]]);
    // A SKU equal to the text comes first whatever its stock.
    assert.equal((await app.http('PUT', `/api/products/${ids.kiwiC}`, { token: admin, body: { sku: 'KIWI' } })).status, 200);
    assert.deepEqual(await order(), [ids.kiwiC, ids.kiwiA, ids.kiwiB]);
    // An exact hit whose text holds a `?`: it is escaped into the page's SQL, never read as a placeholder.
    assert.equal((await app.http('PUT', `/api/products/${ids.kiwiB}`, { token: admin, body: { barcode: 'kiwi?1' } })).status, 200);
    for (const sort of ['stock', '-stock']) assert.equal((await search('kiwi?1', `&sort=${sort}`)).data[0]?.id, ids.kiwiB, sort);
    assert.equal((await app.http('PUT', `/api/products/${ids.kiwiB}`, { token: admin, body: { barcode: null } })).status, 200);
    // Archived: left out unless asked for; a rename that no longer matches leaves the list.
    assert.equal((await app.http('DELETE', `/api/products/${ids.kiwiA}`, { token: admin })).status, 200);
    assert.deepEqual(await order(), [ids.kiwiC, ids.kiwiB]);
    assert.deepEqual(await order('&includeArchived=true'), [ids.kiwiC, ids.kiwiA, ids.kiwiB]);
    assert.equal((await app.http('PUT', `/api/products/${ids.kiwiB}`, { token: admin, body: { name: 'Plain Crate' } })).status, 200);
    assert.deepEqual(await order(), [ids.kiwiC]);
    assert.equal((await search('kiwi', '&sort=stock')).total, 1);
  });

  it('when shoppers and the CSV export search, then the same meaning and ranking apply', async () => {
    const shop = await app.http('GET', `/api/storefront/products?category=${category}&search=cab-9`);
    assert.equal(shop.status, 200, shop.text);
    assert.deepEqual(shop.body.data.map((p: { name: string }) => p.name), ['Zulu Cable', 'Alpha Adapter']);
    assert.equal(shop.body.total, 2);
    const anonymous = await app.http('GET', `/api/products?category=${category}&search=rout`);
    assert.deepEqual(anonymous.body.data.map((p: { name: string }) => p.name), ['Router A1']);
    const csv = await app.http('GET', `/api/products/export?format=csv&category=${category}&search=rout`, { token: admin });
    assert.equal(csv.status, 200);
    assert.match(csv.text, /Router A1/);
    assert.doesNotMatch(csv.text, /Trout|Router Old/);
  });

  it('when the text is query syntax or junk, then 200 (or 400 for what the schema refuses), never 500', async () => {
    const hostile = [
      '"', '""', '"router', '*', 'rout*', '-', '-router', '+router', '(', ')', '(router', 'NEAR', 'NEAR(router a1)', 'router NEAR a1', 'AND', 'router OR trout',
      'NOT router', 'name:router', '^router', '~router', '<router', '>', '@2', "'", "router's", '\\', '%', '_', '%_%', '{router}', '[a]', 'a-b-c-d-e-f-g',
      'Ünïcødé', '🙂', '日本語', 'x'.repeat(100), 'ab '.repeat(33), 'router '.repeat(14),
    ];
    for (const text of hostile) {
      for (const [path, token] of [['/api/products', admin], ['/api/storefront/products', undefined]] as const) {
        const res = await app.http('GET', `${path}?search=${encodeURIComponent(text)}`, { token });
        assert.equal(res.status, 200, `${path} ${JSON.stringify(text)}: ${res.status} ${res.text}`);
        assert.ok(Number.isInteger(res.body.total) && res.body.total >= res.body.data.length, `${path} ${JSON.stringify(text)} total`);
      }
    }
    assert.deepEqual(names(await search('"router"')), ['Router A1']);
    assert.deepEqual(names(await search('(rout*)')), ['Router A1']);
    const tooLong = await app.http('GET', `/api/products?search=${'x'.repeat(101)}`, { token: admin });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.code, 'VALIDATION_FAILED');
  });
});

/**
 * A broad search ordered by stock: most pages are found by walking the stock
 * index (the matches are a large share of the products), deep ones from the
 * matches' rows; either way each page is the order by stock, then id, with
 * many products tied on each stock figure, in both directions.
 */
describe('product search ordered by stock, broad matches and ties', () => {
  let app: TestApp;
  const stockOf = new Map<number, number>();

  before(async () => {
    app = await startTestApp();
    // 45 matches among 105 products on three stock figures (0 for three in five, 1, 2), matches and the others interleaved in the stock index.
    for (let i = 0; i < 105; i++) {
      const matches = i % 7 < 3;
      const body = { name: matches ? `Walrus Tile ${i}` : `Plain Box ${i}`, category: 'Tiles', price: 5, stock: Math.max(0, (i % 5) - 2) };
      const res = await app.http('POST', '/api/products', { token: app.adminToken, body });
      assert.equal(res.status, 201, res.text);
      if (matches) stockOf.set(res.body.id, body.stock);
    }
  });
  after(() => app?.close());

  it('when every page is read in both directions, then together they are the matches by stock then id, each once', async () => {
    const ids = [...stockOf.keys()];
    for (const [sort, sign] of [['stock', 1], ['-stock', -1]] as const) {
      const expected = [...ids].sort((a, b) => sign * (stockOf.get(a)! - stockOf.get(b)!) || a - b);
      for (const limit of [5, 7]) {
        const seen: number[] = [];
        for (let page = 1; seen.length < expected.length + limit; page++) {
          const res = await app.http('GET', `/api/products?search=walrus&sort=${sort}&limit=${limit}&page=${page}`, { token: app.adminToken });
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.total, 45);
          const data = res.body.data as { id: number; stock: number }[];
          assert.deepEqual(data.map((p) => p.id), expected.slice((page - 1) * limit, page * limit), `${sort}, limit ${limit}, page ${page}`);
          seen.push(...data.map((p) => p.id));
          if (!data.length) break;
        }
        assert.deepEqual(seen, expected);
      }
    }
  });
});
