import type { ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { Product } from '../../modules/products/product.model.js';
import { StockMovement } from '../../modules/inventory/stock-movement.model.js';
import { productStockFeature } from '../../../plugins/stock-actions/index.js';
import { csvExportFeature } from '../../../plugins/exports/index.js';
import { IMAGE, productImageFeature } from '../../../plugins/product-image/index.js';
import { canDeleteCatalog, canReadCatalog, canWriteCatalog } from '../access.js';
import { Components } from '../component-loader.js';
import { auditedResource } from '../audited-resource.js';
import { builtInActions, NAVIGATION, readOnly } from './resource-helpers.js';

const LEDGER_ROWS = 15;

/** Stock never comes from a form: drop it (and the ledger view) from whatever was posted. */
async function withoutStock(request: ActionRequest): Promise<ActionRequest> {
  if (request.payload) {
    const { stock, ledger, ...rest } = request.payload;
    void stock;
    void ledger;
    request.payload = rest;
  }
  return request;
}

/** The show page carries the product's latest ledger rows for the StockLedger component. */
async function withLedger(response: ActionResponse): Promise<ActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!id) return response;
  const rows = await StockMovement.findAll({ where: { productId: id }, order: [['id', 'DESC']], limit: LEDGER_ROWS });
  response.record.params.ledger = JSON.stringify(
    rows.map((m) => ({
      id: m.id,
      at: m.createdAt,
      delta: m.delta,
      balanceAfter: m.balanceAfter,
      reason: m.reason,
      adjustmentReason: m.adjustmentReason,
      note: m.note,
      reference: m.referenceType && m.referenceId ? `${m.referenceType} #${m.referenceId}` : m.referenceType,
    })),
  );
  return response;
}

export function productResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCatalog, create: canWriteCatalog, update: canWriteCatalog, remove: canDeleteCatalog });
  return {
    resource: auditedResource(Product, 'product'),
    options: {
      navigation: NAVIGATION.catalog,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['image', 'sku', 'name', 'category', 'price', 'stock', 'lowStockThreshold', 'supplierId'],
      filterProperties: ['sku', 'name', 'category', 'supplierId', 'stock', 'price', 'targetRole', 'archivedAt'],
      showProperties: ['image', 'sku', 'name', 'description', 'category', 'price', 'costPrice', 'stock', 'lowStockThreshold', 'reorderQuantity', 'supplierId', 'targetRole', 'discountPercent', 'barcode', 'unit', 'archivedAt', 'createdAt', 'updatedAt', 'ledger'],
      editProperties: [IMAGE.file, 'sku', 'name', 'description', 'category', 'price', 'costPrice', 'lowStockThreshold', 'reorderQuantity', 'supplierId', 'targetRole', 'discountPercent', 'barcode', 'unit', 'archivedAt'],
      properties: {
        stock: readOnly,
        description: { type: 'textarea' },
        image: { isVisible: { list: true, show: true, edit: false, filter: false }, components: { list: Components.Thumbnail, show: Components.Thumbnail } },
        [IMAGE.file]: { isVisible: { list: false, show: false, edit: true, filter: false }, components: { edit: Components.ImageUpload } },
        ledger: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.StockLedger } },
      },
      actions: {
        ...actions,
        new: { ...actions.new, before: withoutStock },
        edit: { ...actions.edit, before: withoutStock },
        show: { ...actions.show, after: withLedger },
      },
    },
    features: [productStockFeature(), productImageFeature(), csvExportFeature()],
  };
}
