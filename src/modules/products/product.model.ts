import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { money, percent, timestamp, timestamps } from '../../db/columns.js';

export const TARGET_ROLES = ['all', 'customer', 'retailer'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

export class Product extends Model<InferAttributes<Product>, InferCreationAttributes<Product>> {
  declare id: CreationOptional<number>;
  declare sku: string;
  declare name: string;
  declare description: CreationOptional<string | null>;
  declare category: CreationOptional<string>;
  declare price: CreationOptional<number>;
  declare costPrice: CreationOptional<number>;
  /** Written only by the inventory service. */
  declare stock: CreationOptional<number>;
  declare lowStockThreshold: CreationOptional<number | null>;
  declare reorderQuantity: CreationOptional<number | null>;
  declare supplierId: CreationOptional<number | null>;
  declare targetRole: CreationOptional<TargetRole>;
  declare discountPercent: CreationOptional<number>;
  declare barcode: CreationOptional<string | null>;
  declare unit: CreationOptional<string>;
  declare image: CreationOptional<string | null>;
  declare archivedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Product.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        sku: { type: DataTypes.STRING(40), allowNull: false, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        category: { type: DataTypes.STRING(80), allowNull: false, defaultValue: 'General' },
        price: money('price'),
        costPrice: money('costPrice'),
        stock: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        lowStockThreshold: { type: DataTypes.INTEGER, allowNull: true },
        reorderQuantity: { type: DataTypes.INTEGER, allowNull: true },
        supplierId: { type: DataTypes.INTEGER, allowNull: true },
        targetRole: { type: DataTypes.ENUM(...TARGET_ROLES), allowNull: false, defaultValue: 'all' },
        discountPercent: percent('discountPercent'),
        barcode: { type: DataTypes.STRING(64), allowNull: true },
        unit: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pcs' },
        image: { type: DataTypes.STRING(255), allowNull: true },
        archivedAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'products', modelName: 'Product' },
    );
  }
}
