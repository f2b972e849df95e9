import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatSku, skuPrefix } from '../../src/modules/products/sku.js';

describe('SKU formatting', () => {
  it('when the category is a word, then the prefix is its first three letters uppercased', () => {
    assert.equal(skuPrefix('Electronics'), 'ELE');
    assert.equal(skuPrefix('networking'), 'NET');
  });

  it('when the category has digits, spaces or accents, then only plain letters count', () => {
    assert.equal(skuPrefix('3D Printing'), 'DPR');
    assert.equal(skuPrefix('Épicerie'), 'EPI');
    assert.equal(skuPrefix('A-V gear'), 'AVG');
  });

  it('when the category is short or empty, then the prefix is padded or GEN', () => {
    assert.equal(skuPrefix('IT'), 'ITX');
    assert.equal(skuPrefix(''), 'GEN');
    assert.equal(skuPrefix('123'), 'GEN');
    assert.equal(skuPrefix(null), 'GEN');
  });

  it('when a number is formatted, then it has six zero-padded digits', () => {
    assert.equal(formatSku('ELE', 42), 'ELE-000042');
    assert.equal(formatSku('GEN', 1), 'GEN-000001');
    assert.equal(formatSku('ELE', 999999), 'ELE-999999');
  });

  it('when the sequence passes six digits, then the number grows instead of wrapping', () => {
    assert.equal(formatSku('ELE', 1234567), 'ELE-1234567');
  });
});
