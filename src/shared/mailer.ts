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

/** What stays the same however often one mail is sent: receivers drop a Message-ID they already have. */
export interface MailIdentity {
  messageId: string;
  date: Date;
}

let transport: Transporter | undefined;

/**
 * Nodemailer waits minutes on a stalled server by default; a send must end
 * well within the outbox lease. Values given in SMTP_URL's query win.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

function withTimeouts(url: string): string {
  const given = new URL(url).searchParams;
  const extra = Object.entries(SMTP_TIMEOUTS)
    .filter(([name]) => !given.has(name))
    .map(([name, ms]) => `${name}=${ms}`);
  return extra.length ? `${url}${url.includes('?') ? '&' : '?'}${extra.join('&')}` : url;
}

function smtpTransport(url: string): Transporter {
  transport ??= nodemailer.createTransport(withTimeouts(url));
  return transport;
}

/**
 * Sends through SMTP_URL when set; otherwise writes an .eml file to
 * data/outbox/ (named after the mail's date and Message-ID, so sending it
 * again rewrites the same file) and a first run needs no mail server.
 * Called by the outbox worker only: everything else enqueues.
 */
export async function sendMail(mail: Mail, { messageId, date }: MailIdentity): Promise<void> {
  const config = getConfig();
  const message = { from: config.mailFrom, ...mail, messageId, date };
  if (config.smtpUrl) {
    await smtpTransport(config.smtpUrl).sendMail(message);
    return;
  }
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(message);
  const outbox = path.join(config.dataDir, 'outbox');
  await mkdir(outbox, { recursive: true });
  const stem = messageId.replace(/^<|@.*$/g, '').replace(/[^\w-]/g, '').slice(0, 12);
  const file = path.join(outbox, `${date.toISOString().replace(/[:.]/g, '-')}-${stem}.eml`);
  await writeFile(file, built.message as Buffer);
  logger().info({ file, subject: mail.subject }, 'mail written to outbox');
}

export function closeMailer(): void {
  transport?.close();
  transport = undefined;
}
