import { timestamps } from '../../db/columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

/**
 * Stock of one product at one location, written only by the inventory
 * service (guarded, never below zero); products.stock is the sum over
 * locations, kept in the same transaction.
 */
export class StockLevel extends Model<InferAttributes<StockLevel>, InferCreationAttributes<StockLevel>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare locationId: number;
  declare quantity: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    StockLevel.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        locationId: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestamps(),
      },
      { sequelize, tableName: 'stock_levels', modelName: 'StockLevel', indexes: [{ unique: true, fields: ['product_id', 'location_id'] }] },
    );
  }
}
