import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { launchBrowser, signIn, startPanelApp, type PanelApp, type TestBrowser } from '../helpers/browser.js';
import { db, isSqlite } from '../../src/db/index.js';
import { AuditLog } from '../../src/modules/audit/audit-log.model.js';
import { Supplier } from '../../src/modules/suppliers/supplier.model.js';

const PASSWORD = 'password-123';

/**
 * A failure of the audit store itself, made by the database: a trigger that
 * refuses every insert into audit_logs. Nothing of the app is mocked.
 */
async function refuseAuditWrites(): Promise<() => Promise<void>> {
  const create = isSqlite()
    ? "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END"
    : "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit store unavailable'";
  await db().query(create);
  return async () => {
    await db().query('DROP TRIGGER refuse_audit');
  };
}

describe('panel create, edit and delete commit together with their audit rows', () => {
  let app: PanelApp;
  let browser: TestBrowser;
  let manager: { id: number; email: string };

  before(async () => {
    app = await startPanelApp();
    browser = await launchBrowser();
    const { user } = await app.userWithRole('manager', { password: PASSWORD });
    manager = { id: user.id, email: user.email };
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function session() {
    const opened = await browser.newPage();
    await signIn(opened.page, app.url, manager.email, PASSWORD);
    return opened;
  }

  const noErrors = (errors: string[]) => assert.deepEqual(errors, [], errors.join('\n'));
  const audits = (action: string, entityId?: number) => AuditLog.findAll({ where: { action, ...(entityId ? { entityId: String(entityId) } : {}) }, order: [['id', 'ASC']] });
  const notice = (page: Page, text: string | RegExp) => page.getByTestId('notice-wrapper').getByText(text).waitFor();

  async function saveForm(page: Page, url: string, fields: Record<string, string>) {
    await page.goto(url);
    for (const [name, value] of Object.entries(fields)) await page.fill(`[data-testid="property-edit-${name}"] input, [data-testid="property-edit-${name}"] textarea`, value);
    await page.getByTestId('button-save').click();
  }

  async function deleteFromShowPage(page: Page, id: number) {
    await page.goto(`${app.url}/admin/resources/suppliers/records/${id}/show`);
    await page.getByTestId('action-delete').click();
    await page.getByRole('button', { name: /confirm/i }).click();
  }

  it('when a manager creates, edits and deletes a supplier, then each change has its audit row with who and what changed', async () => {
    const { page, errors, context } = await session();
    await saveForm(page, `${app.url}/admin/resources/suppliers/actions/new`, { name: 'Harbour Paper Co', email: 'orders@harbour.example', leadTimeDays: '7' });
    await notice(page, 'Successfully created a new record');
    const supplier = (await Supplier.findOne({ where: { name: 'Harbour Paper Co' } }))!;
    const [created] = await audits('supplier.create', supplier.id);
    assert.equal(created.userId, manager.id);
    assert.equal(created.ip, '127.0.0.1');
    assert.equal(created.changes?.name, 'Harbour Paper Co');

    await saveForm(page, `${app.url}/admin/resources/suppliers/records/${supplier.id}/edit`, { name: 'Harbour Paper Ltd', leadTimeDays: '9' });
    await notice(page, 'Successfully updated given record');
    assert.equal((await Supplier.findByPk(supplier.id))!.name, 'Harbour Paper Ltd');
    const [updated] = await audits('supplier.update', supplier.id);
    assert.equal(updated.userId, manager.id);
    assert.deepEqual(updated.changes, { name: { from: 'Harbour Paper Co', to: 'Harbour Paper Ltd' }, leadTimeDays: { from: 7, to: 9 } }, 'only what changed');

    await deleteFromShowPage(page, supplier.id);
    await notice(page, 'Successfully deleted given record');
    assert.equal(await Supplier.findByPk(supplier.id), null);
    const [deleted] = await audits('supplier.delete', supplier.id);
    assert.equal(deleted.userId, manager.id);
    assert.equal(deleted.changes?.name, 'Harbour Paper Ltd');
    noErrors(errors);
    await context.close();
  });

  it('when the audit log refuses the write, then the panel keeps no part of the change and says so', async () => {
    const supplier = await Supplier.create({ name: 'Quayside Inks' });
    const { page, errors, context } = await session();
    const auditRows = await AuditLog.count();
    const allow = await refuseAuditWrites();
    try {
      await saveForm(page, `${app.url}/admin/resources/suppliers/records/${supplier.id}/edit`, { name: 'Quayside Inks & Toners' });
      await notice(page, 'The action failed; nothing was changed.');
      assert.match(page.url(), /\/edit$/, 'the form stays open');
      assert.equal((await Supplier.findByPk(supplier.id))!.name, 'Quayside Inks', 'the edit was rolled back with its audit row');

      await saveForm(page, `${app.url}/admin/resources/suppliers/actions/new`, { name: 'Never Saved Supplies', leadTimeDays: '5' });
      await notice(page, 'The action failed; nothing was changed.');
      assert.equal(await Supplier.count({ where: { name: 'Never Saved Supplies', leadTimeDays: '5' } }), 0);

      await deleteFromShowPage(page, supplier.id);
      await notice(page, 'The action failed; nothing was changed.');
      assert.ok(await Supplier.findByPk(supplier.id), 'the delete was rolled back');
    } finally {
      await allow();
    }
    assert.equal(await AuditLog.count(), auditRows);

    await saveForm(page, `${app.url}/admin/resources/suppliers/records/${supplier.id}/edit`, { name: 'Quayside Inks & Toners' });
    await notice(page, 'Successfully updated given record');
    assert.equal((await audits('supplier.update', supplier.id)).length, 1, 'once the audit log takes writes again, so does the panel');
    noErrors(errors);
    await context.close();
  });
});
