import { DataTypes, type QueryInterface } from 'sequelize';
import type { Migration } from '../migrator.js';

/**
 * The mail outbox: a mail is a row written in the same transaction as the
 * change it tells about, and a worker in every instance claims, sends and
 * retries it. `next_attempt_at` is when a worker may take it next: a claimed
 * row's is its lease end, so a row whose worker died is claimable again once
 * the lease runs out. The Message-ID is fixed here, at enqueue time, so a mail
 * sent twice (a worker died after sending, before marking it) is one mail to
 * whoever receives it.
 */
export const migration: Migration = {
  name: '0007-mail-outbox',
  async up({ context: qi }: { context: QueryInterface }) {
    const date = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });
    await qi.createTable('mail_outbox', {
      id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true, allowNull: false },
      message_id: { type: DataTypes.STRING(191), allowNull: false, unique: true },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      ref_id: { type: DataTypes.INTEGER, allowNull: true },
      recipients: { type: DataTypes.TEXT, allowNull: false },
      subject: { type: DataTypes.STRING(500), allowNull: false },
      text: { type: DataTypes.TEXT, allowNull: true },
      html: { type: DataTypes.TEXT, allowNull: true },
      status: { type: DataTypes.ENUM('pending', 'sent', 'failed'), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: date(false),
      claimed_by: { type: DataTypes.STRING(100), allowNull: true },
      claimed_until: date(true),
      last_error: { type: DataTypes.STRING(1000), allowNull: true },
      sent_at: date(true),
      created_at: date(false),
      updated_at: date(false),
    });
    await qi.addIndex('mail_outbox', ['status', 'next_attempt_at'], { name: 'mail_outbox_claim' });
    await qi.addIndex('mail_outbox', ['kind', 'ref_id'], { name: 'mail_outbox_subject' });
  },
  async down({ context: qi }: { context: QueryInterface }) {
    await qi.dropTable('mail_outbox');
  },
};
