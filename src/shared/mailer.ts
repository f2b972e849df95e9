import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { getConfig } from '../config/index.js';
import { logger } from './logger.js';

export interface Mail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
}

let transport: Transporter | undefined;

function smtpTransport(): Transporter {
  transport ??= nodemailer.createTransport(getConfig().smtpUrl);
  return transport;
}

/**
 * Sends through SMTP_URL when set; otherwise writes an .eml file to
 * data/outbox/ so a first run needs no mail server.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const config = getConfig();
  const message = { from: config.mailFrom, ...mail };
  if (config.smtpUrl) {
    await smtpTransport().sendMail(message);
    return;
  }
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(message);
  const outbox = path.join(config.dataDir, 'outbox');
  await mkdir(outbox, { recursive: true });
  const file = path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`);
  await writeFile(file, built.message as Buffer);
  logger().info({ file, subject: mail.subject }, 'mail written to outbox');
}

/** Fire-and-forget for side effects that must never fail the request that caused them. */
export function sendMailInBackground(mail: Mail, onSent?: () => Promise<void>): void {
  sendMail(mail)
    .then(() => onSent?.())
    .catch((err: Error) => logger().warn({ err: err.message, subject: mail.subject }, 'mail delivery failed'));
}

export function closeMailer(): void {
  transport?.close();
  transport = undefined;
}
