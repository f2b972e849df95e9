import type { ResourceWithOptions } from 'adminjs';
import { MailOutbox } from '../../modules/mail/mail-outbox.model.js';
import { canReadAudit } from '../access.js';
import { builtInActions, hidden, NAVIGATION } from './resource-helpers.js';

/**
 * The mail outbox, read-only for admins: what is queued, sent or failed, how
 * often it was tried and why it failed. Bodies never reach the panel (the
 * model's toJSON drops them) and are dropped from the row once it is sent.
 */
export function mailOutboxResource(): ResourceWithOptions {
  return {
    resource: MailOutbox,
    options: {
      navigation: NAVIGATION.administration,
      sort: { sortBy: 'id', direction: 'desc' },
      listProperties: ['id', 'createdAt', 'kind', 'refId', 'recipients', 'subject', 'status', 'attempts', 'sentAt'],
      filterProperties: ['kind', 'refId', 'status', 'recipients', 'createdAt'],
      properties: { text: hidden, html: hidden },
      actions: builtInActions({ read: canReadAudit }),
    },
  };
}
