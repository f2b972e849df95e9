import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { jsonText, timestamps } from '../../db/columns.js';

/** One row per setting; the value is JSON so numbers, booleans and strings round-trip. */
export class Setting extends Model<InferAttributes<Setting>, InferCreationAttributes<Setting>> {
  declare id: CreationOptional<number>;
  declare key: string;
  declare value: unknown;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Setting.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        key: { type: DataTypes.STRING(60), allowNull: false, unique: true },
        value: jsonText('value'),
        ...timestamps(),
      },
      { sequelize, tableName: 'settings', modelName: 'Setting' },
    );
  }
}

/** Gap-free counters (invoice and order numbers), one row per name and period. */
export class Sequence extends Model<InferAttributes<Sequence>, InferCreationAttributes<Sequence>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare period: string;
  declare value: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Sequence.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(40), allowNull: false },
        period: { type: DataTypes.STRING(20), allowNull: false },
        value: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...timestamps(),
      },
      { sequelize, tableName: 'sequences', modelName: 'Sequence', indexes: [{ unique: true, fields: ['name', 'period'] }] },
    );
  }
}
