import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { money, timestamp, timestamps } from '../../db/columns.js';

export const COUNT_STATUSES = ['counting', 'review', 'posted', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/** A stocktake of some products at one location, checked against the books without stopping trade. */
export class StockCount extends Model<InferAttributes<StockCount>, InferCreationAttributes<StockCount>> {
  declare id: CreationOptional<number>;
  declare locationId: number;
  declare status: CreationOptional<CountStatus>;
  declare blind: CreationOptional<boolean>;
  declare category: CreationOptional<string | null>;
  declare notes: CreationOptional<string | null>;
  declare userId: CreationOptional<number | null>;
  declare submittedAt: CreationOptional<Date | null>;
  declare postedAt: CreationOptional<Date | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    StockCount.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        locationId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.ENUM(...COUNT_STATUSES), allowNull: false, defaultValue: 'counting' },
        blind: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        category: { type: DataTypes.STRING(80), allowNull: true },
        notes: { type: DataTypes.TEXT, allowNull: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        submittedAt: timestamp(),
        postedAt: timestamp(),
        cancelledAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'stock_counts', modelName: 'StockCount' },
    );
  }
}

/**
 * One product of a count. `expected` is the location's quantity at the
 * snapshot; when the line is counted, `movementsSince` is the net change of
 * that quantity since the snapshot (read under the stock level's lock), so
 * trade during the count never shows up as variance:
 * variance = counted - (expected + movementsSince).
 */
export class StockCountLine extends Model<InferAttributes<StockCountLine>, InferCreationAttributes<StockCountLine>> {
  declare id: CreationOptional<number>;
  declare stockCountId: number;
  declare productId: number;
  declare expected: number;
  declare unitCost: number;
  declare counted: CreationOptional<number | null>;
  declare movementsSince: CreationOptional<number | null>;
  declare variance: CreationOptional<number | null>;
  declare countedAt: CreationOptional<Date | null>;
  declare countedBy: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    StockCountLine.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        stockCountId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        expected: { type: DataTypes.INTEGER, allowNull: false },
        unitCost: money('unitCost'),
        counted: { type: DataTypes.INTEGER, allowNull: true },
        movementsSince: { type: DataTypes.INTEGER, allowNull: true },
        variance: { type: DataTypes.INTEGER, allowNull: true },
        countedAt: timestamp(),
        countedBy: { type: DataTypes.INTEGER, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'stock_count_lines', modelName: 'StockCountLine' },
    );
  }
}
