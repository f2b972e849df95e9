import type { ActionRequest, ActionResponse, FeatureType, ResourceWithOptions } from 'adminjs';
import { Product } from '../../modules/products/product.model.js';
import { StockMovement } from '../../modules/inventory/stock-movement.model.js';
import { IMAGE } from '../product-image-fields.js';
import { canDeleteCatalog, canReadCatalog, canWriteCatalog } from '../access.js';
import { Components } from '../component-loader.js';
import { serviceResource, type FormInput } from '../service-resource.js';
import type { UserActor } from '../../shared/actor.js';
import { createProduct, deleteProduct, replaceProductImage, updateProduct } from '../../modules/products/product.service.js';
import { createProductBody, updateProductBody } from '../../modules/products/product.schemas.js';
import { productStock } from '../../modules/locations/location.service.js';
import { builtInActions, NAVIGATION, readOnly } from './resource-helpers.js';

const LEDGER_ROWS = 15;

/** Stock never comes from a form: drop it (and the ledger view) from whatever was posted. */
async function withoutStock(request: ActionRequest): Promise<ActionRequest> {
  if (request.payload) {
    const { stock, ledger, stockByLocation, ...rest } = request.payload;
    void stock;
    void ledger;
    void stockByLocation;
    request.payload = rest;
  }
  return request;
}

/** The show page carries the product's stock by location (ProductStock) and its latest ledger rows (StockLedger). */
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
  response.record.params.stockByLocation = JSON.stringify(await productStock(id));
  return response;
}

/** A form edit goes to the products service; the upload feature, having stored the file, saves the new key alone. */
async function updateFromPanel(id: number, input: FormInput, actor: UserActor) {
  const { image, ...fields } = input;
  if (image !== undefined) await replaceProductImage(id, (image as string | null) ?? null, actor);
  if (Object.keys(fields).length) await updateProduct(id, updateProductBody.parse(fields), actor);
}

export function productResource(features: FeatureType[] = []): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCatalog, create: canWriteCatalog, update: canWriteCatalog, remove: canDeleteCatalog });
  return {
    resource: serviceResource(Product, {
      create: (input, actor) => createProduct(createProductBody.parse(input), actor),
      update: updateFromPanel,
      delete: (id, actor) => deleteProduct(id, actor),
    }),
    options: {
      navigation: NAVIGATION.catalog,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['image', 'sku', 'name', 'category', 'price', 'stock', 'lowStockThreshold', 'supplierId'],
      filterProperties: ['sku', 'name', 'category', 'supplierId', 'stock', 'price', 'targetRole', 'archivedAt'],
      showProperties: ['image', 'sku', 'name', 'description', 'category', 'price', 'costPrice', 'stock', 'lowStockThreshold', 'reorderQuantity', 'supplierId', 'targetRole', 'discountPercent', 'barcode', 'unit', 'archivedAt', 'createdAt', 'updatedAt', 'stockByLocation', 'ledger'],
      editProperties: [IMAGE.file, 'sku', 'name', 'description', 'category', 'price', 'costPrice', 'lowStockThreshold', 'reorderQuantity', 'supplierId', 'targetRole', 'discountPercent', 'barcode', 'unit'],
      properties: {
        stock: readOnly,
        description: { type: 'textarea' },
        image: { isVisible: { list: true, show: true, edit: false, filter: false }, components: { list: Components.Thumbnail, show: Components.Thumbnail } },
        stockByLocation: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.ProductStock } },
        ledger: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.StockLedger } },
      },
      actions: {
        ...actions,
        new: { ...actions.new, before: withoutStock },
        edit: { ...actions.edit, before: withoutStock },
        show: { ...actions.show, after: withLedger },
      },
    },
    features,
  };
}
