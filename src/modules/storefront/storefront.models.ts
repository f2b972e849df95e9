import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { money, percent, timestamp, timestamps } from '../../db/columns.js';

export const COUPON_TARGET_ROLES = ['all', 'customer', 'retailer'] as const;
export const ORDER_STATUSES = ['pending', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export class Coupon extends Model<InferAttributes<Coupon>, InferCreationAttributes<Coupon>> {
  declare id: CreationOptional<number>;
  /** Stored upper-case: codes are unique case-insensitively. */
  declare code: string;
  declare description: CreationOptional<string | null>;
  declare discountPercent: number;
  declare validFrom: CreationOptional<Date | null>;
  declare validTo: CreationOptional<Date | null>;
  declare targetRole: CreationOptional<(typeof COUPON_TARGET_ROLES)[number]>;
  declare usageLimit: CreationOptional<number | null>;
  declare usedCount: CreationOptional<number>;
  declare active: CreationOptional<boolean>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Coupon.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        code: {
          type: DataTypes.STRING(40),
          allowNull: false,
          unique: true,
          // Every door (REST, panel, seeders) stores the same canonical form.
          set(this: Coupon, value: string) {
            this.setDataValue('code', String(value).trim().toUpperCase());
          },
        },
        description: { type: DataTypes.STRING(255), allowNull: true },
        discountPercent: percent('discountPercent'),
        validFrom: timestamp(),
        validTo: timestamp(),
        targetRole: { type: DataTypes.ENUM(...COUPON_TARGET_ROLES), allowNull: false, defaultValue: 'all' },
        usageLimit: { type: DataTypes.INTEGER, allowNull: true },
        usedCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'coupons', modelName: 'Coupon' },
    );
  }
}

export class CouponUser extends Model<InferAttributes<CouponUser>, InferCreationAttributes<CouponUser>> {
  declare id: CreationOptional<number>;
  declare couponId: number;
  declare userId: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    CouponUser.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        couponId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        ...timestamps(),
      },
      { sequelize, tableName: 'coupon_users', modelName: 'CouponUser' },
    );
  }
}

export class CartItem extends Model<InferAttributes<CartItem>, InferCreationAttributes<CartItem>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare productId: number;
  declare quantity: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    CartItem.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        ...timestamps(),
      },
      { sequelize, tableName: 'cart_items', modelName: 'CartItem' },
    );
  }
}

export class WishlistItem extends Model<InferAttributes<WishlistItem>, InferCreationAttributes<WishlistItem>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare productId: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    WishlistItem.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        ...timestamps(),
      },
      { sequelize, tableName: 'wishlist_items', modelName: 'WishlistItem' },
    );
  }
}

export class Order extends Model<InferAttributes<Order>, InferCreationAttributes<Order>> {
  declare id: CreationOptional<number>;
  declare orderNumber: CreationOptional<string | null>;
  declare userId: number;
  declare status: CreationOptional<OrderStatus>;
  declare subtotal: number;
  declare discount: number;
  declare tax: number;
  declare total: number;
  declare couponId: CreationOptional<number | null>;
  declare couponCode: CreationOptional<string | null>;
  declare deliveryAddress: string;
  declare contactNumber: string;
  declare shippedAt: CreationOptional<Date | null>;
  declare deliveredAt: CreationOptional<Date | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Order.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        orderNumber: { type: DataTypes.STRING(40), allowNull: true, unique: true },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.ENUM(...ORDER_STATUSES), allowNull: false, defaultValue: 'pending' },
        subtotal: money('subtotal'),
        discount: money('discount'),
        tax: money('tax'),
        total: money('total'),
        couponId: { type: DataTypes.INTEGER, allowNull: true },
        couponCode: { type: DataTypes.STRING(40), allowNull: true },
        deliveryAddress: { type: DataTypes.STRING(500), allowNull: false },
        contactNumber: { type: DataTypes.STRING(40), allowNull: false },
        shippedAt: timestamp(),
        deliveredAt: timestamp(),
        cancelledAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'orders', modelName: 'Order' },
    );
  }
}

export class OrderItem extends Model<InferAttributes<OrderItem>, InferCreationAttributes<OrderItem>> {
  declare id: CreationOptional<number>;
  declare orderId: number;
  declare productId: number;
  declare productName: string;
  declare quantity: number;
  declare unitPrice: number;
  declare discountPercent: number;
  declare lineTotal: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    OrderItem.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        orderId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        productName: { type: DataTypes.STRING(200), allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        unitPrice: money('unitPrice'),
        discountPercent: percent('discountPercent'),
        lineTotal: money('lineTotal'),
        ...timestamps(),
      },
      { sequelize, tableName: 'order_items', modelName: 'OrderItem' },
    );
  }
}

export class Review extends Model<InferAttributes<Review>, InferCreationAttributes<Review>> {
  declare id: CreationOptional<number>;
  declare userId: number;
  declare productId: number;
  declare rating: number;
  declare comment: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Review.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        rating: { type: DataTypes.INTEGER, allowNull: false },
        comment: { type: DataTypes.TEXT, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'reviews', modelName: 'Review' },
    );
  }
}
