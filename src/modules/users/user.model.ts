import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamp, timestamps } from '../../db/columns.js';
import { ROLES, type Role } from '../../shared/rights.js';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare email: string;
  declare passwordHash: string;
  declare role: CreationOptional<Role>;
  declare phone: CreationOptional<string | null>;
  declare address: CreationOptional<string | null>;
  declare tokenVersion: CreationOptional<number>;
  declare resetTokenHash: CreationOptional<string | null>;
  declare resetTokenExpiresAt: CreationOptional<Date | null>;
  declare lastLoginAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  /** Secrets never leave the model: hashes, reset tokens and the token version are dropped. */
  override toJSON() {
    const { passwordHash, resetTokenHash, resetTokenExpiresAt, tokenVersion, ...safe } = this.get({ plain: true });
    void passwordHash;
    void resetTokenHash;
    void resetTokenExpiresAt;
    void tokenVersion;
    return safe as Omit<InferAttributes<User>, 'passwordHash' | 'resetTokenHash' | 'resetTokenExpiresAt' | 'tokenVersion'>;
  }

  static initModel(sequelize: Sequelize) {
    User.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        name: { type: DataTypes.STRING(120), allowNull: false },
        email: { type: DataTypes.STRING(190), allowNull: false, unique: true },
        passwordHash: { type: DataTypes.STRING(100), allowNull: false },
        role: { type: DataTypes.ENUM(...ROLES), allowNull: false, defaultValue: 'customer' },
        phone: { type: DataTypes.STRING(40), allowNull: true },
        address: { type: DataTypes.STRING(500), allowNull: true },
        tokenVersion: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        resetTokenHash: { type: DataTypes.STRING(64), allowNull: true },
        resetTokenExpiresAt: timestamp(),
        lastLoginAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'users', modelName: 'User' },
    );
  }
}
