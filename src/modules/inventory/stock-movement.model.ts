import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamps } from '../../db/columns.js';

export const MOVEMENT_REASONS = [
  'initial',
  'sale',
  'sale_cancel',
  'purchase',
  'adjustment',
  'order',
  'order_cancel',
  'return',
  'transfer_out',
  'transfer_in',
  'transfer_cancel',
  'count',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export const ADJUSTMENT_REASONS = ['count', 'damage', 'loss', 'return', 'correction', 'other'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/**
 * The stock ledger: one row per change, at one location. Per (product,
 * location) the stock level = SUM(delta) and balance_after is that location's
 * balance; products.stock = SUM(delta) per product, always.
 */
export class StockMovement extends Model<InferAttributes<StockMovement>, InferCreationAttributes<StockMovement>> {
  declare id: CreationOptional<number>;
  declare productId: number;
  declare locationId: number;
  declare delta: number;
  declare balanceAfter: number;
  declare reason: MovementReason;
  declare adjustmentReason: CreationOptional<AdjustmentReason | null>;
  declare note: CreationOptional<string | null>;
  declare referenceType: CreationOptional<string | null>;
  declare referenceId: CreationOptional<number | null>;
  declare userId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    StockMovement.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        locationId: { type: DataTypes.INTEGER, allowNull: false },
        delta: { type: DataTypes.INTEGER, allowNull: false },
        balanceAfter: { type: DataTypes.INTEGER, allowNull: false },
        reason: { type: DataTypes.ENUM(...MOVEMENT_REASONS), allowNull: false },
        adjustmentReason: { type: DataTypes.ENUM(...ADJUSTMENT_REASONS), allowNull: true },
        note: { type: DataTypes.STRING(500), allowNull: true },
        referenceType: { type: DataTypes.STRING(30), allowNull: true },
        referenceId: { type: DataTypes.INTEGER, allowNull: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'stock_movements', modelName: 'StockMovement' },
    );
  }
}
