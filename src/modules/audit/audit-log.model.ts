import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { jsonText, timestamps } from '../../db/columns.js';

export class AuditLog extends Model<InferAttributes<AuditLog>, InferCreationAttributes<AuditLog>> {
  declare id: CreationOptional<number>;
  declare userId: number | null;
  declare action: string;
  declare entityType: string | null;
  declare entityId: string | null;
  declare changes: CreationOptional<Record<string, unknown> | null>;
  declare ip: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    AuditLog.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        action: { type: DataTypes.STRING(60), allowNull: false },
        entityType: { type: DataTypes.STRING(40), allowNull: true },
        entityId: { type: DataTypes.STRING(40), allowNull: true },
        changes: jsonText('changes'),
        ip: { type: DataTypes.STRING(64), allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'audit_logs', modelName: 'AuditLog' },
    );
  }
}
