import type { Sequelize } from 'sequelize';
import { User } from '../modules/users/user.model.js';
import { Supplier } from '../modules/suppliers/supplier.model.js';
import { Product } from '../modules/products/product.model.js';
import { Sale, SaleItem } from '../modules/sales/sale.model.js';
import { Purchase, PurchaseItem } from '../modules/purchases/purchase.model.js';
import { StockMovement } from '../modules/inventory/stock-movement.model.js';
import { StockAlert } from '../modules/inventory/stock-alert.model.js';
import { AuditLog } from '../modules/audit/audit-log.model.js';
import { Setting, Sequence } from '../modules/settings/setting.model.js';
import {
  CartItem,
  Coupon,
  CouponUser,
  Order,
  OrderItem,
  Review,
  WishlistItem,
} from '../modules/storefront/storefront.models.js';
import { Session } from './session.model.js';
import { Location } from '../modules/locations/location.model.js';
import { StockLevel } from '../modules/inventory/stock-level.model.js';
import { Transfer, TransferLine } from '../modules/transfers/transfer.model.js';
import { StockCount, StockCountLine } from '../modules/stock-counts/stock-count.model.js';
import { MailOutbox } from '../modules/mail/mail-outbox.model.js';

export const MODELS = [
  User,
  Supplier,
  Product,
  Sale,
  SaleItem,
  Purchase,
  PurchaseItem,
  StockMovement,
  StockAlert,
  AuditLog,
  Setting,
  Sequence,
  Coupon,
  CouponUser,
  CartItem,
  WishlistItem,
  Order,
  OrderItem,
  Review,
  Session,
  Location,
  StockLevel,
  Transfer,
  TransferLine,
  StockCount,
  StockCountLine,
  MailOutbox,
] as const;

export function initModels(sequelize: Sequelize): void {
  for (const model of MODELS) model.initModel(sequelize);

  Supplier.hasMany(Product, { foreignKey: 'supplierId', as: 'products' });
  Product.belongsTo(Supplier, { foreignKey: 'supplierId', as: 'supplier' });

  Sale.hasMany(SaleItem, { foreignKey: 'saleId', as: 'items' });
  SaleItem.belongsTo(Sale, { foreignKey: 'saleId', as: 'sale' });
  SaleItem.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  Sale.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  Sale.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });

  Purchase.hasMany(PurchaseItem, { foreignKey: 'purchaseId', as: 'items' });
  PurchaseItem.belongsTo(Purchase, { foreignKey: 'purchaseId', as: 'purchase' });
  PurchaseItem.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  Purchase.belongsTo(Supplier, { foreignKey: 'supplierId', as: 'supplier' });
  Purchase.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  Purchase.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });

  StockMovement.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  StockMovement.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  Product.hasMany(StockMovement, { foreignKey: 'productId', as: 'movements' });
  StockAlert.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  AuditLog.belongsTo(User, { foreignKey: 'userId', as: 'user' });

  Coupon.belongsToMany(User, { through: CouponUser, foreignKey: 'couponId', otherKey: 'userId', as: 'users' });
  CartItem.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  WishlistItem.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  Order.hasMany(OrderItem, { foreignKey: 'orderId', as: 'items' });
  Order.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  OrderItem.belongsTo(Order, { foreignKey: 'orderId', as: 'order' });
  OrderItem.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  Review.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  Review.belongsTo(User, { foreignKey: 'userId', as: 'user' });
  Product.hasMany(Review, { foreignKey: 'productId', as: 'reviews' });

  StockMovement.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });
  StockLevel.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  StockLevel.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });
  Product.hasMany(StockLevel, { foreignKey: 'productId', as: 'levels' });
  Transfer.hasMany(TransferLine, { foreignKey: 'transferId', as: 'lines' });
  Transfer.belongsTo(Location, { foreignKey: 'fromLocationId', as: 'fromLocation' });
  Transfer.belongsTo(Location, { foreignKey: 'toLocationId', as: 'toLocation' });
  TransferLine.belongsTo(Transfer, { foreignKey: 'transferId', as: 'transfer' });
  TransferLine.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
  StockCount.hasMany(StockCountLine, { foreignKey: 'stockCountId', as: 'lines' });
  StockCount.belongsTo(Location, { foreignKey: 'locationId', as: 'location' });
  StockCountLine.belongsTo(StockCount, { foreignKey: 'stockCountId', as: 'count' });
  StockCountLine.belongsTo(Product, { foreignKey: 'productId', as: 'product' });
}
