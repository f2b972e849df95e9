import { timestamp, timestamps } from '../../db/columns.js';
import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';

export const LOCATION_TYPES = ['warehouse', 'store', 'other'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

/** A place stock lives in: a store, a back room, a warehouse. Exactly one is the default (`MAIN` at first). */
export class Location extends Model<InferAttributes<Location>, InferCreationAttributes<Location>> {
  declare id: CreationOptional<number>;
  declare code: string;
  declare name: string;
  declare type: CreationOptional<LocationType>;
  declare address: CreationOptional<string | null>;
  declare isDefault: CreationOptional<boolean>;
  declare archivedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Location.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        code: { type: DataTypes.STRING(20), allowNull: false, unique: true, set(this: Location, v: string) { this.setDataValue('code', String(v).toUpperCase()); } },
        name: { type: DataTypes.STRING(120), allowNull: false, unique: true },
        type: { type: DataTypes.ENUM(...LOCATION_TYPES), allowNull: false, defaultValue: 'store' },
        address: { type: DataTypes.STRING(500), allowNull: true },
        isDefault: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        archivedAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'locations', modelName: 'Location' },
    );
  }
}
