import { understandEntities } from './src/modules/ai/nlu/entities.js';
import { classify, classifier } from './src/modules/ai/nlu/classifier.js';
import { PRODUCTS } from './seeders/data/products.js';
import { SUPPLIERS } from './seeders/data/suppliers.js';
const catalog = { products: PRODUCTS.map((p, i) => ({ id: i + 1, sku: `SKU-${i}`, name: p.name, category: p.category })), categories: [...new Set(PRODUCTS.map((p) => p.category))], suppliers: SUPPLIERS.map((s, i) => ({ id: i + 1, name: s.name })) };
const now = new Date('2026-06-17T13:00:00Z');
await classifier();
const lines = process.argv.slice(2);
for (const q of lines) {
  const u = understandEntities(q, catalog, now, 'UTC');
  const c = await classify(u.masked);
  console.log(`${q} | ${u.masked} | ${c.intent} ${c.score.toFixed(2)} ${JSON.stringify(c.alternatives.map((a) => a.intent + ':' + a.score.toFixed(2)))} | ${JSON.stringify({ ...u.entities, product: u.entities.product?.name, supplier: u.entities.supplier?.name, looseProduct: u.entities.looseProduct?.name })}`);
}
