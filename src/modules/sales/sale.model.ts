import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { money, percent, timestamp, timestamps } from '../../db/columns.js';

export const SALE_STATUSES = ['completed', 'cancelled'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export class Sale extends Model<InferAttributes<Sale>, InferCreationAttributes<Sale>> {
  declare id: CreationOptional<number>;
  declare invoiceNumber: CreationOptional<string | null>;
  declare userId: number | null;
  declare locationId: number;
  declare customerName: CreationOptional<string | null>;
  declare customerEmail: CreationOptional<string | null>;
  declare status: CreationOptional<SaleStatus>;
  declare subtotal: number;
  declare discount: number;
  declare taxRate: number;
  declare tax: number;
  declare total: number;
  declare notes: CreationOptional<string | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Sale.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        invoiceNumber: { type: DataTypes.STRING(40), allowNull: true, unique: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        locationId: { type: DataTypes.INTEGER, allowNull: false },
        customerName: { type: DataTypes.STRING(160), allowNull: true },
        customerEmail: { type: DataTypes.STRING(190), allowNull: true },
        status: { type: DataTypes.ENUM(...SALE_STATUSES), allowNull: false, defaultValue: 'completed' },
        subtotal: money('subtotal'),
        discount: money('discount'),
        taxRate: percent('taxRate'),
        tax: money('tax'),
        total: money('total'),
        notes: { type: DataTypes.TEXT, allowNull: true },
        cancelledAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'sales', modelName: 'Sale' },
    );
  }
}

export class SaleItem extends Model<InferAttributes<SaleItem>, InferCreationAttributes<SaleItem>> {
  declare id: CreationOptional<number>;
  declare saleId: number;
  declare productId: number;
  declare quantity: number;
  declare unitPrice: number;
  declare unitCost: number;
  declare lineTotal: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    SaleItem.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        saleId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        unitPrice: money('unitPrice'),
        unitCost: money('unitCost'),
        lineTotal: money('lineTotal'),
        ...timestamps(),
      },
      { sequelize, tableName: 'sale_items', modelName: 'SaleItem' },
    );
  }
}
