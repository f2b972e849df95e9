import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { timestamp, timestamps } from '../../db/columns.js';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** What a mail is about: `refId` names the row (an alert, a user, an order). */
export const MAIL_KINDS = ['stock_alert', 'password_reset', 'order'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** One mail on its way (table mail_outbox, migration 0007). */
export class MailOutbox extends Model<InferAttributes<MailOutbox>, InferCreationAttributes<MailOutbox>> {
  declare id: CreationOptional<number>;
  declare messageId: string;
  declare kind: MailKind;
  declare refId: number | null;
  /** Comma-separated addresses, as nodemailer takes them. */
  declare recipients: string;
  declare subject: string;
  declare text: string | null;
  declare html: string | null;
  declare status: CreationOptional<MailStatus>;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date;
  declare claimedBy: CreationOptional<string | null>;
  declare claimedUntil: CreationOptional<Date | null>;
  declare lastError: CreationOptional<string | null>;
  declare sentAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  /** Bodies never leave the model (a reset mail carries a sign-in secret): the panel lists the rest. */
  override toJSON() {
    const { text, html, ...safe } = this.get({ plain: true });
    void text;
    void html;
    return safe as Omit<InferAttributes<MailOutbox>, 'text' | 'html'>;
  }

  static initModel(sequelize: Sequelize) {
    MailOutbox.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        messageId: { type: DataTypes.STRING(191), allowNull: false, unique: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        refId: { type: DataTypes.INTEGER, allowNull: true },
        recipients: { type: DataTypes.TEXT, allowNull: false },
        subject: { type: DataTypes.STRING(500), allowNull: false },
        text: { type: DataTypes.TEXT, allowNull: true },
        html: { type: DataTypes.TEXT, allowNull: true },
        status: { type: DataTypes.ENUM(...MAIL_STATUSES), allowNull: false, defaultValue: 'pending' },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: timestamp({ allowNull: false }),
        claimedBy: { type: DataTypes.STRING(100), allowNull: true },
        claimedUntil: timestamp(),
        lastError: { type: DataTypes.STRING(1000), allowNull: true },
        sentAt: timestamp(),
        ...timestamps(),
      },
      { sequelize, tableName: 'mail_outbox', modelName: 'MailOutbox' },
    );
  }
}
