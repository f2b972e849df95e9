import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryTypes, Transaction } from 'sequelize';
import { getConfig } from '../../config/index.js';
import { afterCommit, db, isSqlite, sqlReplacements, transaction } from '../../db/index.js';
import { logger } from '../../shared/logger.js';
import { sendMail, type Mail } from '../../shared/mailer.js';
import { MailOutbox, type MailKind } from './mail-outbox.model.js';

/**
 * The mail outbox. Business code enqueues a mail in its own transaction (a
 * rolled-back change sends nothing); a worker in every instance claims due
 * mail, sends it with the Message-ID fixed at enqueue time, and marks it
 * sent. Sending is at least once: an instance that dies after sending but
 * before marking leaves its claim to expire, and another sends the same
 * message again, which receivers drop as a duplicate (same Message-ID).
 */

/** Mails one claim takes; they are sent side by side. */
const BATCH = 10;

/** Who holds a claim (claimed_by): this process. */
export const WORKER_ID = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

const queued = new Set<() => void>();

/** Runs right after a transaction that enqueued mail commits (the local worker wakes on it). Returns the unsubscribe. */
export function onMailQueued(listener: () => void): () => void {
  queued.add(listener);
  return () => queued.delete(listener);
}

const sentHandlers = new Map<MailKind, (refId: number) => Promise<void>>();

/**
 * What a kind of mail is about learns, in the transaction that marks the mail
 * sent, that it went out (a stock alert turns 'sent' only then). The module
 * that owns the record registers it.
 */
export function onMailSent(kind: MailKind, handler: (refId: number) => Promise<void>): void {
  sentHandlers.set(kind, handler);
}

function newMessageId(): string {
  const domain = /@([\w.-]+)>?\s*$/.exec(getConfig().mailFrom)?.[1] ?? 'stockpilot.local';
  return `<${randomUUID()}@${domain}>`;
}

/**
 * Queues a mail in the current transaction (or on its own outside one): it is
 * sent once that commits and never when it rolls back. `refId` names what the
 * mail is about (the alert, user or order).
 */
export async function enqueueMail(mail: Mail, about: { kind: MailKind; refId?: number | null }): Promise<MailOutbox> {
  const row = await MailOutbox.create({
    messageId: newMessageId(),
    kind: about.kind,
    refId: about.refId ?? null,
    recipients: [mail.to].flat().join(', '),
    subject: mail.subject.slice(0, 500),
    text: mail.text,
    html: mail.html ?? null,
    nextAttemptAt: new Date(),
  });
  afterCommit(() => {
    for (const listener of queued) listener();
  });
  return row;
}

/** The wait before attempt `attempt + 1`: doubling from `baseMs`, capped at `capMs`, with jitter (half to all of it). */
export function retryDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/**
 * Claims up to BATCH due mails: a claimed mail's next attempt is its lease
 * end, so it is due again (for any instance) if this one dies holding it. On
 * MySQL/MariaDB the rows are locked with SKIP LOCKED, so instances claiming
 * at once take different mails (raw SQL: Sequelize's mysql dialect drops
 * `skipLocked`), in READ COMMITTED, so the claim takes no gap locks that
 * would hold up a transaction enqueuing mail. SQLite is single-node: its
 * writers are serialised in transaction().
 */
async function claimDue(): Promise<MailOutbox[]> {
  const { leaseMs, maxAttempts } = getConfig().mailWorker;
  const now = new Date();
  const due = `FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= :now`;
  const replacements = sqlReplacements({ now });
  // An idle instance polls with one indexed read, outside any transaction.
  const [any] = await db().query(`SELECT id ${due} LIMIT 1`, { type: QueryTypes.SELECT, replacements, transaction: null });
  if (!any) return [];
  const claim = async () => {
    const rows = await db().query<{ id: number; attempts: number }>(
      `SELECT id, attempts ${due} ORDER BY next_attempt_at, id LIMIT ${BATCH}${isSqlite() ? '' : ' FOR UPDATE SKIP LOCKED'}`,
      { type: QueryTypes.SELECT, replacements },
    );
    // Claimed max-attempts times and never settled (its instance died each time): given up on.
    const spent = rows.filter((r) => Number(r.attempts) >= maxAttempts).map((r) => Number(r.id));
    if (spent.length) {
      await MailOutbox.update({ status: 'failed', claimedBy: null, claimedUntil: null, lastError: 'claimed too often without an outcome' }, { where: { id: spent } });
      logger().error({ ids: spent }, 'mail failed: its claims kept expiring');
    }
    const ids = rows.map((r) => Number(r.id)).filter((id) => !spent.includes(id));
    if (!ids.length) return [];
    const leaseEnd = new Date(now.getTime() + leaseMs);
    await MailOutbox.update(
      { claimedBy: WORKER_ID, claimedUntil: leaseEnd, nextAttemptAt: leaseEnd, attempts: db().literal('attempts + 1') },
      { where: { id: ids } },
    );
    return MailOutbox.findAll({ where: { id: ids }, order: [['id', 'ASC']] });
  };
  return isSqlite() ? transaction(claim) : db().transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, claim);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the mail server did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Sent: the row turns 'sent' (whoever holds the claim now: it is out) and
 * drops its body (a reset link is a secret); in the same transaction what the
 * mail is about learns it went out (onMailSent).
 */
async function markSent(mail: MailOutbox): Promise<void> {
  await transaction(async () => {
    const [changed] = await MailOutbox.update(
      { status: 'sent', sentAt: new Date(), text: null, html: null, claimedUntil: null, lastError: null },
      { where: { id: mail.id, status: 'pending' } },
    );
    const handler = sentHandlers.get(mail.kind);
    if (changed === 1 && handler && mail.refId !== null) await handler(mail.refId);
  });
}

/** Not sent: due again after the backoff, or failed for good after the last attempt; only while this worker holds the claim. */
async function markFailedAttempt(mail: MailOutbox, err: Error): Promise<void> {
  const { maxAttempts, retryMs, retryMaxMs } = getConfig().mailWorker;
  const final = mail.attempts >= maxAttempts;
  const delay = retryDelay(mail.attempts, retryMs, retryMaxMs);
  await transaction(() =>
    MailOutbox.update(
      { status: final ? 'failed' : 'pending', nextAttemptAt: new Date(Date.now() + delay), claimedBy: null, claimedUntil: null, lastError: err.message.slice(0, 1000) },
      { where: { id: mail.id, status: 'pending', claimedBy: WORKER_ID } },
    ),
  );
  const fields = { err: err.message, mailId: mail.id, kind: mail.kind, attempts: mail.attempts };
  if (final) logger().error(fields, 'mail failed: no attempts left');
  else logger().warn({ ...fields, retryInMs: delay }, 'mail not sent: will retry');
}

async function deliver(mail: MailOutbox): Promise<void> {
  const { leaseMs } = getConfig().mailWorker;
  try {
    const content: Mail = { to: mail.recipients, subject: mail.subject, text: mail.text ?? '', ...(mail.html ? { html: mail.html } : {}) };
    // Ends well before the lease, so no other instance takes the mail while this send may still land.
    await withDeadline(sendMail(content, { messageId: mail.messageId, date: mail.createdAt }), Math.round(leaseMs * 0.8));
  } catch (err) {
    await markFailedAttempt(mail, err as Error).catch((e: Error) => logger().warn({ err: e.message, mailId: mail.id }, 'mail attempt not recorded'));
    return;
  }
  // If this fails the claim expires and the mail goes again, under the same Message-ID.
  await markSent(mail).catch((e: Error) => logger().warn({ err: e.message, mailId: mail.id }, 'sent mail not marked'));
}

interface Worker {
  stopped: boolean;
  timer?: NodeJS.Timeout;
  /** The claim-and-send round in progress. */
  round?: Promise<void>;
  /** Woken during a round: claim again right after it. */
  again: boolean;
  unsubscribe: () => void;
}

let worker: Worker | undefined;

function schedule(w: Worker, ms: number): void {
  clearTimeout(w.timer);
  w.timer = setTimeout(() => void runRound(w), ms);
  w.timer.unref();
}

async function runRound(w: Worker): Promise<void> {
  if (w.stopped || w.round) return;
  w.round = (async () => {
    do {
      w.again = false;
      const claimed = await claimDue().catch((err: Error) => {
        logger().warn({ err: err.message }, 'mail outbox claim failed');
        return [];
      });
      if (claimed.length === BATCH) w.again = true;
      await Promise.all(claimed.map(deliver));
    } while (w.again && !w.stopped);
  })();
  await w.round;
  w.round = undefined;
  if (!w.stopped) schedule(w, getConfig().mailWorker.pollMs);
}

function wake(w: Worker): void {
  if (w.stopped) return;
  if (w.round) w.again = true;
  else schedule(w, 0);
}

/** Starts this process's outbox worker (once): it polls every MAIL_POLL_MS and wakes when this process commits mail. */
export function startMailWorker(): void {
  if (worker) return;
  const w: Worker = { stopped: false, again: false, unsubscribe: () => undefined };
  w.unsubscribe = onMailQueued(() => wake(w));
  worker = w;
  schedule(w, 0);
}

/**
 * Stops claiming at once and waits up to `withinMs` for the sends in flight.
 * A mail still unsent then keeps its claim until the lease ends, and another
 * instance (or the next start) sends it.
 */
export async function stopMailWorker(withinMs = 5_000): Promise<void> {
  const w = worker;
  if (!w) return;
  worker = undefined;
  w.stopped = true;
  clearTimeout(w.timer);
  w.unsubscribe();
  if (w.round) await Promise.race([w.round, sleep(withinMs, undefined, { ref: false })]);
}
