import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamps } from '../../db/columns.js';

export class Supplier extends Model<InferAttributes<Supplier>, InferCreationAttributes<Supplier>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare contactName: CreationOptional<string | null>;
  declare email: CreationOptional<string | null>;
  declare phone: CreationOptional<string | null>;
  declare address: CreationOptional<string | null>;
  declare leadTimeDays: CreationOptional<number>;
  declare notes: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Supplier.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(160), allowNull: false },
        contactName: { type: DataTypes.STRING(120), allowNull: true },
        email: { type: DataTypes.STRING(190), allowNull: true },
        phone: { type: DataTypes.STRING(40), allowNull: true },
        address: { type: DataTypes.STRING(500), allowNull: true },
        leadTimeDays: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 7 },
        notes: { type: DataTypes.TEXT, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'suppliers', modelName: 'Supplier' },
    );
  }
}
