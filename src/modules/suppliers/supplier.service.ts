import { Op, type WhereOptions } from 'sequelize';
import { transaction } from '../../db/index.js';
import { conflict, notFound } from '../../shared/errors.js';
import { orderFrom, type Page } from '../../shared/page.js';
import { changedFields, recordAudit } from '../audit/audit.service.js';
import { Product } from '../products/product.model.js';
import { productJson, type ProductJson } from '../products/product.service.js';
import { Purchase } from '../purchases/purchase.model.js';
import type { Actor } from '../../shared/actor.js';
import { Supplier } from './supplier.model.js';
import type { CreateSupplierInput, SupplierListQuery, UpdateSupplierInput } from './supplier.schemas.js';

const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

export async function listSuppliers(query: SupplierListQuery): Promise<Page<Supplier>> {
  const where: WhereOptions<Supplier> = {};
  if (query.search) {
    const like = `%${query.search}%`;
    Object.assign(where, {
      [Op.or]: [{ name: { [Op.like]: like } }, { contactName: { [Op.like]: like } }, { email: { [Op.like]: like } }],
    });
  }
  const { rows, count } = await Supplier.findAndCountAll({
    where,
    order: [orderFrom(query.sort, 'name'), ['id', 'ASC']],
    limit: query.limit,
    offset: (query.page - 1) * query.limit,
  });
  return { data: rows, page: query.page, limit: query.limit, total: count };
}

async function findSupplier(id: number): Promise<Supplier> {
  const supplier = await Supplier.findByPk(id);
  if (!supplier) throw notFound('Supplier');
  return supplier;
}

/** The supplier with its non-archived products (by name). */
export async function getSupplier(id: number): Promise<ReturnType<Supplier['toJSON']> & { products: ProductJson[] }> {
  const supplier = await findSupplier(id);
  const products = await Product.findAll({ where: { supplierId: id, archivedAt: null }, order: [['name', 'ASC'], ['id', 'ASC']] });
  const summary = { id: supplier.id, name: supplier.name };
  return { ...supplier.toJSON(), products: products.map((p) => ({ ...productJson(p), supplier: summary })) };
}

export async function createSupplier(input: CreateSupplierInput, actor: Actor): Promise<Supplier> {
  return transaction(async () => {
    const supplier = await Supplier.create({ ...defined(input), name: input.name });
    await recordAudit(
      { userId: actor.id, action: 'supplier.create', entityType: 'supplier', entityId: supplier.id, changes: defined(input), ip: actor.ip }
    );
    // Reloaded so fields left out come back as null rather than missing.
    return supplier.reload();
  });
}

export async function updateSupplier(id: number, input: UpdateSupplierInput, actor: Actor): Promise<Supplier> {
  const fields = defined(input);
  return transaction(async () => {
    const supplier = await Supplier.findByPk(id);
    if (!supplier) throw notFound('Supplier');
    const before = supplier.get({ plain: true, clone: true });
    supplier.set(fields);
    await supplier.save();
    const changes = changedFields(before, fields);
    if (Object.keys(changes).length) {
      await recordAudit({ userId: actor.id, action: 'supplier.update', entityType: 'supplier', entityId: id, changes, ip: actor.ip });
    }
    return supplier;
  });
}

/**
 * Refused (409) while products (archived ones included) or purchases refer to
 * the supplier: silently unlinking them would lose who supplies what and
 * distort supplier reports and reorder lead times.
 */
export async function deleteSupplier(id: number, actor: Actor): Promise<void> {
  await transaction(async () => {
    const supplier = await Supplier.findByPk(id);
    if (!supplier) throw notFound('Supplier');
    const products = await Product.count({ where: { supplierId: id }});
    const purchases = await Purchase.count({ where: { supplierId: id }});
    if (products || purchases) {
      throw conflict(
        `Supplier '${supplier.name}' still has ${products} product(s) and ${purchases} purchase(s); reassign or remove them before deleting the supplier`,
      );
    }
    await supplier.destroy();
    await recordAudit(
      { userId: actor.id, action: 'supplier.delete', entityType: 'supplier', entityId: id, changes: { name: supplier.name }, ip: actor.ip }
    );
  });
}
