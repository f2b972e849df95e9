import { timestamp, timestamps } from '../../db/columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const TRANSFER_STATUSES = ['draft', 'in_transit', 'partially_received', 'received', 'cancelled'] as const;
/** Shipped and not all received: goods are on the road, receipts may come. */
export const OPEN_TRANSFER_STATUSES: readonly string[] = ['in_transit', 'partially_received'];
/** What may still be cancelled: a draft, or what is on the road (it goes back). */
export const CANCELLABLE_TRANSFER_STATUSES: readonly string[] = ['draft', ...OPEN_TRANSFER_STATUSES];
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Stock moving between two locations: drafted, shipped (in transit, on hand nowhere), received in one or more parts. */
export class Transfer extends Model<InferAttributes<Transfer>, InferCreationAttributes<Transfer>> {
  declare id: CreationOptional<number>;
  declare fromLocationId: number;
  declare toLocationId: number;
  declare status: CreationOptional<TransferStatus>;
  declare reference: CreationOptional<string | null>;
  declare notes: CreationOptional<string | null>;
  declare userId: CreationOptional<number | null>;
  declare shippedAt: CreationOptional<Date | null>;
  declare receivedAt: CreationOptional<Date | null>;
  declare cancelledAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Transfer.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        fromLocationId: { type: DataTypes.INTEGER, allowNull: false },
        toLocationId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.ENUM(...TRANSFER_STATUSES), allowNull: false, defaultValue: 'draft' },
        reference: { type: DataTypes.STRING(80), allowNull: true },
        notes: { type: DataTypes.TEXT, allowNull: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        shippedAt: timestamp(),
        receivedAt: timestamp(),
        cancelledAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'transfers', modelName: 'Transfer' },
    );
  }
}

export class TransferLine extends Model<InferAttributes<TransferLine>, InferCreationAttributes<TransferLine>> {
  declare id: CreationOptional<number>;
  declare transferId: number;
  declare productId: number;
  declare quantity: number;
  declare shipped: CreationOptional<number>;
  declare received: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    TransferLine.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        transferId: { type: DataTypes.INTEGER, allowNull: false },
        productId: { type: DataTypes.INTEGER, allowNull: false },
        quantity: { type: DataTypes.INTEGER, allowNull: false },
        shipped: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        received: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestamps(),
      },
      { sequelize, tableName: 'transfer_lines', modelName: 'TransferLine' },
    );
  }
}
