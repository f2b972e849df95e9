import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { money, timestamp, timestamps } from '../../db/columns.js';

export const PURCHASE_STATUSES = ['ordered', 'partially_received', 'received', 'cancelled'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export class Purchase extends Model<InferAttributes<Purchase>, InferCreationAttributes<Purchase>> {
  declare id: CreationOptional<number>;
  declare supplierId: number | null;
  declare userId: number | null;
  declare locationId: number;
  declare reference: CreationOptional<string | null>;
  declare status: CreationOptional<PurchaseStatus>;
  declare totalCost: number;
  declare expectedAt: CreationOptional<Date | null>;
  declare receivedAt: CreationOptional<Date | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare notes: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Purchase.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        supplierId: { type: DataTypes.INTEGER, allowNull: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        locationId: { type: DataTypes.INTEGER, allowNull: false },
        reference: { type: DataTypes.STRING(80), allowNull: true },
        status: { type: DataTypes.ENUM(...PURCHASE_STATUSES), allowNull: false, defaultValue: 'ordered' },
        totalCost: money('totalCost'),
        expectedAt: timestamp(),
        receivedAt: timestamp(),
        cancelledAt: timestamp(),
        notes: { type: DataTypes.TEXT, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'purchases', modelName: 'Purchase' },
    );
  }
}

export class PurchaseItem extends Model<InferAttributes<PurchaseItem>, InferCreationAttributes<PurchaseItem>> {
  declare id: CreationOptional<number>;
  declare purchaseId: number;
  declare productId: number;
  declare quantity: number;
  declare receivedQuantity: CreationOptional<number>;
  declare unitCost: number;
  declare lineTotal: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    PurchaseItem.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        purchaseId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        receivedQuantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        unitCost: money('unitCost'),
        lineTotal: money('lineTotal'),
        ...timestamps(),
      },
      { sequelize, tableName: 'purchase_items', modelName: 'PurchaseItem' },
    );
  }
}
