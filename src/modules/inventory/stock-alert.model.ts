import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamp, timestamps } from '../../db/columns.js';

export const ALERT_STATUSES = ['pending', 'sent', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export class StockAlert extends Model<InferAttributes<StockAlert>, InferCreationAttributes<StockAlert>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare status: CreationOptional<AlertStatus>;
  declare stockAtAlert: number;
  declare threshold: number;
  declare sentAt: CreationOptional<Date | null>;
  declare resolvedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    StockAlert.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.ENUM(...ALERT_STATUSES), allowNull: false, defaultValue: 'pending' },
        stockAtAlert: { type: DataTypes.INTEGER, allowNull: false },
        threshold: { type: DataTypes.INTEGER, allowNull: false },
        sentAt: timestamp(),
        resolvedAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'stock_alerts', modelName: 'StockAlert' },
    );
  }
}
