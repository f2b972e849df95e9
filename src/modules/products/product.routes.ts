import { LedgerEntrySchema } from '../inventory/inventory.schemas.js';
import { ApiRouter } from '../../http/route.js';
import { idParams, listOf } from '../../shared/schemas.js';
import { getSettings } from '../settings/settings.service.js';
import { imageUpload } from './product-image.js';
import { productsCsvFilename, streamProductsCsv } from './product-export.js';
import {
  adjustStockBody,
  createProductBody,
  movementListQuery,
  productExportQuery,
  productBrowseQuery,
  ProductSchema,
  updateProductBody,
} from './product.schemas.js';
import { adjustStock, browseProduct, browseProducts, createProduct, deleteProduct, listMovements, setProductImage, updateProduct } from './product.service.js';
import { ShopProductSchema } from '../storefront/catalog.schemas.js';
import { ProductStockSchema } from '../locations/location.schemas.js';
import { productStock } from '../locations/location.service.js';

// `/export` is registered before `/:id` so it is not read as an id.
export const productRoutes = new ApiRouter('/products', 'Products')
  .get(
    '/',
    {
      operationId: 'listProducts',
      summary: 'List products (search, filters, sort, pagination)',
      description:
        'Back-office roles get the full list (`Product`). Customers, retailers and anonymous callers get the active catalogue at the price for their role ' +
        '(`ShopProduct`, as GET /api/storefront/products): the back-office filters supplierId, inStock, lowStock and includeArchived do not apply to them, and they may also sort by rating.',
      access: 'optional',
      query: productBrowseQuery,
      response: listOf(ProductSchema).or(listOf(ShopProductSchema)),
    },
    ({ query, user }) => browseProducts(query, user?.role),
  )
  .get(
    '/export',
    {
      operationId: 'exportProductsCsv',
      summary: 'Export the filtered product list as CSV',
      access: 'exports:read',
      query: productExportQuery,
      response: { contentType: 'text/csv', description: 'CSV with a header row; same filters as the list, in id order' },
    },
    async ({ query, res }) => {
      const { format: _csv, ...filters } = query;
      const { timezone } = await getSettings();
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${productsCsvFilename(timezone)}"`);
      await streamProductsCsv(filters, res);
    },
  )
  .post(
    '/',
    { operationId: 'createProduct', summary: 'Create a product (SKU generated when absent; stock recorded as an initial movement)', access: 'catalog:write', body: createProductBody, status: 201, response: ProductSchema, errors: [409] },
    ({ body, actor }) => createProduct(body, actor),
  )
  .get(
    '/:id',
    { operationId: 'getProduct', summary: 'Get a product (back office: the full record; everyone else: the catalogue view of an active product)', access: 'optional', params: idParams, response: ProductSchema.or(ShopProductSchema) },
    ({ params, user }) => browseProduct(params.id, user?.role),
  )
  .put(
    '/:id',
    { operationId: 'updateProduct', summary: 'Update a product (partial; stock is refused)', access: 'catalog:write', params: idParams, body: updateProductBody, response: ProductSchema, errors: [409] },
    ({ params, body, actor }) => updateProduct(params.id, body, actor),
  )
  .delete(
    '/:id',
    {
      operationId: 'deleteProduct',
      summary: 'Delete a product',
      description: 'Requires `catalog:delete`. A product with history (sales, purchases, orders, stock movements beyond its initial stock) is archived and returned with 200; otherwise it is destroyed (204).',
      access: 'catalog:delete',
      params: idParams,
      response: ProductSchema,
    },
    ({ params, actor }) => deleteProduct(params.id, actor),
  )
  .post(
    '/:id/image',
    {
      operationId: 'uploadProductImage',
      summary: 'Upload the product image',
      description: "Requires `catalog:write`. `multipart/form-data` with one file in the field `image`: JPEG, PNG, WebP or GIF by content, at most 5 MB. Replaces the previous image; served under `/uploads/` (from UPLOAD_DIR, or streamed from the S3 bucket with `STORAGE=s3`). 503 `STORAGE_UNAVAILABLE` when the object store does not answer.",
      access: 'catalog:write',
      params: idParams,
      response: ProductSchema,
      errors: [413, 415, 503],
      before: [imageUpload],
    },
    ({ params, actor, req }) => setProductImage(params.id, req.file?.buffer, actor),
  )
  .post(
    '/:id/adjust-stock',
    { operationId: 'adjustProductStock', summary: 'Adjust stock (recorded in the ledger as an adjustment)', access: 'stock:record', params: idParams, body: adjustStockBody, response: ProductSchema, errors: [409] },
    ({ params, body, actor }) => adjustStock(params.id, body, actor),
  )
  .get(
    '/:id/stock',
    {
      operationId: 'getProductStock',
      summary: 'Stock of the product by location (every active location, 0 where none), total on hand and in transit',
      access: 'catalog:read',
      params: idParams,
      response: ProductStockSchema,
    },
    ({ params }) => productStock(params.id),
  )
  .get(
    '/:id/movements',
    { operationId: 'listProductMovements', summary: "The product's stock ledger, newest first (filters reason, locationId, from, to)", access: 'catalog:read', params: idParams, query: movementListQuery, response: listOf(LedgerEntrySchema) },
    ({ params, query }) => listMovements(params.id, query),
  );
