import { DataTypes, type ModelAttributeColumnOptions, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

// Frozen copy of the schema as it was first released: later changes get new migrations.
const ROLES = ['admin', 'manager', 'staff', 'viewer', 'customer', 'retailer'];
const TARGET_ROLES = ['all', 'customer', 'retailer'];
const MOVEMENT_REASONS = ['initial', 'sale', 'sale_cancel', 'purchase', 'adjustment', 'order', 'order_cancel', 'return'];
const ADJUSTMENT_REASONS = ['count', 'damage', 'loss', 'return', 'correction', 'other'];

type Columns = Record<string, ModelAttributeColumnOptions>;

const id = (): ModelAttributeColumnOptions => ({ type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false });
const moneyCol = (): ModelAttributeColumnOptions => ({ type: DataTypes.DECIMAL(12, 2), allowNull: false, defaultValue: 0 });
const percentCol = (): ModelAttributeColumnOptions => ({ type: DataTypes.DECIMAL(5, 2), allowNull: false, defaultValue: 0 });
const str = (length: number, allowNull = true): ModelAttributeColumnOptions => ({ type: DataTypes.STRING(length), allowNull });
const int = (allowNull = false, defaultValue?: number): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull,
  ...(defaultValue === undefined ? {} : { defaultValue }),
});
const date = (): ModelAttributeColumnOptions => ({ type: DataTypes.DATE, allowNull: true });
const text = (): ModelAttributeColumnOptions => ({ type: DataTypes.TEXT, allowNull: true });
const ref = (table: string, onDelete: 'CASCADE' | 'SET NULL' | 'RESTRICT', allowNull = false): ModelAttributeColumnOptions => ({
  type: DataTypes.INTEGER,
  allowNull,
  references: { model: table, key: 'id' },
  onDelete,
  onUpdate: 'CASCADE',
});
const timestamps = (): Columns => ({
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
});

async function table(qi: QueryInterface, name: string, columns: Columns, indexes: (string[] | { fields: string[]; unique: true })[] = []) {
  await qi.createTable(name, { ...columns, ...timestamps() });
  for (const index of indexes) {
    const spec = Array.isArray(index) ? { fields: index } : index;
    await qi.addIndex(name, spec.fields, {
      unique: 'unique' in spec && spec.unique,
      name: `${name}_${spec.fields.join('_')}${'unique' in spec ? '_unique' : ''}`,
    });
  }
}

export const migration: Migration = {
  name: '0001-initial-schema',
  async up({ context: qi }) {
    await table(
      qi,
      'users',
      {
        id: id(),
        name: str(120, false),
        email: { ...str(190, false), unique: true },
        password_hash: str(100, false),
        role: { type: DataTypes.ENUM(...ROLES), allowNull: false, defaultValue: 'customer' },
        phone: str(40),
        address: str(500),
        token_version: int(false, 0),
        reset_token_hash: str(64),
        reset_token_expires_at: date(),
        last_login_at: date(),
      },
      [['role'], ['reset_token_hash']],
    );

    await table(
      qi,
      'suppliers',
      {
        id: id(),
        name: str(160, false),
        contact_name: str(120),
        email: str(190),
        phone: str(40),
        address: str(500),
        lead_time_days: int(false, 7),
        notes: text(),
      },
      [['name']],
    );

    await table(
      qi,
      'products',
      {
        id: id(),
        sku: { ...str(40, false), unique: true },
        name: str(200, false),
        description: text(),
        category: { ...str(80, false), defaultValue: 'General' },
        price: moneyCol(),
        cost_price: moneyCol(),
        stock: int(false, 0),
        low_stock_threshold: int(true),
        reorder_quantity: int(true),
        supplier_id: ref('suppliers', 'SET NULL', true),
        target_role: { type: DataTypes.ENUM(...TARGET_ROLES), allowNull: false, defaultValue: 'all' },
        discount_percent: percentCol(),
        barcode: str(64),
        unit: { ...str(20, false), defaultValue: 'pcs' },
        image: str(255),
        archived_at: date(),
      },
      [
        ['archived_at', 'name'],
        ['archived_at', 'created_at'],
        ['archived_at', 'price'],
        ['archived_at', 'stock'],
        ['category', 'name'],
        ['supplier_id'],
        ['barcode'],
      ],
    );

    await table(
      qi,
      'sales',
      {
        id: id(),
        invoice_number: { ...str(40), unique: true },
        user_id: ref('users', 'SET NULL', true),
        customer_name: str(160),
        customer_email: str(190),
        status: { type: DataTypes.ENUM('completed', 'cancelled'), allowNull: false, defaultValue: 'completed' },
        subtotal: moneyCol(),
        discount: moneyCol(),
        tax_rate: percentCol(),
        tax: moneyCol(),
        total: moneyCol(),
        notes: text(),
        cancelled_at: date(),
      },
      [['created_at'], ['status', 'created_at'], ['user_id']],
    );

    await table(
      qi,
      'sale_items',
      {
        id: id(),
        sale_id: ref('sales', 'CASCADE'),
        product_id: ref('products', 'RESTRICT'),
        quantity: int(),
        unit_price: moneyCol(),
        unit_cost: moneyCol(),
        line_total: moneyCol(),
      },
      [['sale_id'], ['product_id', 'created_at']],
    );

    await table(
      qi,
      'purchases',
      {
        id: id(),
        supplier_id: ref('suppliers', 'SET NULL', true),
        user_id: ref('users', 'SET NULL', true),
        reference: str(80),
        status: {
          type: DataTypes.ENUM('ordered', 'partially_received', 'received', 'cancelled'),
          allowNull: false,
          defaultValue: 'ordered',
        },
        total_cost: moneyCol(),
        expected_at: date(),
        received_at: date(),
        cancelled_at: date(),
        notes: text(),
      },
      [['created_at'], ['status', 'created_at'], ['supplier_id']],
    );

    await table(
      qi,
      'purchase_items',
      {
        id: id(),
        purchase_id: ref('purchases', 'CASCADE'),
        product_id: ref('products', 'RESTRICT'),
        quantity: int(),
        received_quantity: int(false, 0),
        unit_cost: moneyCol(),
        line_total: moneyCol(),
      },
      [['purchase_id'], ['product_id']],
    );

    await table(
      qi,
      'stock_movements',
      {
        id: id(),
        product_id: ref('products', 'RESTRICT'),
        delta: int(),
        balance_after: int(),
        reason: { type: DataTypes.ENUM(...MOVEMENT_REASONS), allowNull: false },
        adjustment_reason: { type: DataTypes.ENUM(...ADJUSTMENT_REASONS), allowNull: true },
        note: str(500),
        reference_type: str(30),
        reference_id: int(true),
        user_id: ref('users', 'SET NULL', true),
      },
      [['product_id', 'created_at'], ['created_at'], ['reason', 'created_at'], ['reference_type', 'reference_id']],
    );

    await table(
      qi,
      'stock_alerts',
      {
        id: id(),
        product_id: ref('products', 'CASCADE'),
        status: { type: DataTypes.ENUM('pending', 'sent', 'resolved'), allowNull: false, defaultValue: 'pending' },
        stock_at_alert: int(),
        threshold: int(),
        sent_at: date(),
        resolved_at: date(),
      },
      [['product_id', 'status'], ['status', 'created_at']],
    );

    await table(
      qi,
      'audit_logs',
      {
        id: id(),
        user_id: ref('users', 'SET NULL', true),
        action: str(60, false),
        entity_type: str(40),
        entity_id: str(40),
        changes: text(),
        ip: str(64),
      },
      [['created_at'], ['user_id', 'created_at'], ['action', 'created_at'], ['entity_type', 'entity_id']],
    );

    await table(qi, 'settings', { id: id(), key: { ...str(60, false), unique: true }, value: text() });

    await table(qi, 'sequences', { id: id(), name: str(40, false), period: str(20, false), value: int(false, 0) }, [
      { fields: ['name', 'period'], unique: true },
    ]);

    await table(
      qi,
      'coupons',
      {
        id: id(),
        code: { ...str(40, false), unique: true },
        description: str(255),
        discount_percent: percentCol(),
        valid_from: date(),
        valid_to: date(),
        target_role: { type: DataTypes.ENUM(...TARGET_ROLES), allowNull: false, defaultValue: 'all' },
        usage_limit: int(true),
        used_count: int(false, 0),
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      },
    );

    await table(qi, 'coupon_users', { id: id(), coupon_id: ref('coupons', 'CASCADE'), user_id: ref('users', 'CASCADE') }, [
      { fields: ['coupon_id', 'user_id'], unique: true },
      ['user_id'],
    ]);

    await table(
      qi,
      'cart_items',
      { id: id(), user_id: ref('users', 'CASCADE'), product_id: ref('products', 'CASCADE'), quantity: int() },
      [{ fields: ['user_id', 'product_id'], unique: true }, ['product_id']],
    );

    await table(qi, 'wishlist_items', { id: id(), user_id: ref('users', 'CASCADE'), product_id: ref('products', 'CASCADE') }, [
      { fields: ['user_id', 'product_id'], unique: true },
      ['product_id'],
    ]);

    await table(
      qi,
      'orders',
      {
        id: id(),
        order_number: { ...str(40), unique: true },
        user_id: ref('users', 'RESTRICT'),
        status: {
          type: DataTypes.ENUM('pending', 'shipped', 'delivered', 'cancelled'),
          allowNull: false,
          defaultValue: 'pending',
        },
        subtotal: moneyCol(),
        discount: moneyCol(),
        tax: moneyCol(),
        total: moneyCol(),
        coupon_id: ref('coupons', 'SET NULL', true),
        coupon_code: str(40),
        delivery_address: str(500, false),
        contact_number: str(40, false),
        shipped_at: date(),
        delivered_at: date(),
        cancelled_at: date(),
      },
      [['user_id', 'created_at'], ['status', 'created_at'], ['created_at']],
    );

    await table(
      qi,
      'order_items',
      {
        id: id(),
        order_id: ref('orders', 'CASCADE'),
        product_id: ref('products', 'RESTRICT'),
        product_name: str(200, false),
        quantity: int(),
        unit_price: moneyCol(),
        discount_percent: percentCol(),
        line_total: moneyCol(),
      },
      [['order_id'], ['product_id']],
    );

    await table(
      qi,
      'reviews',
      {
        id: id(),
        user_id: ref('users', 'CASCADE'),
        product_id: ref('products', 'CASCADE'),
        rating: int(),
        comment: text(),
      },
      [{ fields: ['user_id', 'product_id'], unique: true }, ['product_id']],
    );

    await table(
      qi,
      'sessions',
      { sid: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false }, expires: date(), data: text() },
      [['expires']],
    );
  },

  async down({ context: qi }) {
    const tables = [
      'sessions',
      'reviews',
      'order_items',
      'orders',
      'wishlist_items',
      'cart_items',
      'coupon_users',
      'coupons',
      'sequences',
      'settings',
      'audit_logs',
      'stock_alerts',
      'stock_movements',
      'purchase_items',
      'purchases',
      'sale_items',
      'sales',
      'products',
      'suppliers',
      'users',
    ];
    for (const name of tables) await qi.dropTable(name);
  },
};
