import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamp, timestamps } from './columns.js';

/** AdminJS sessions (connect-session-sequelize), so restarts and other instances keep people signed in. */
export class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
  declare sid: string;
  declare expires: Date | null;
  declare data: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize) {
    Session.init(
      {
        sid: { type: DataTypes.STRING(64), primaryKey: true },
        expires: timestamp(),
        data: { type: DataTypes.TEXT, allowNull: true },
        ...timestamps(),
      },
      { sequelize, tableName: 'sessions', modelName: 'Session' },
    );
  }
}
