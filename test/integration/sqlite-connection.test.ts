import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { isSqlite, selectRows, transaction } from '../../src/db/index.js';

describe('SQLite connections', { skip: Boolean(process.env.TEST_DATABASE_URL) && 'SQLite only' }, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  const settings = async () => ({
    journal: (await selectRows<{ journal_mode: string }>('PRAGMA journal_mode'))[0].journal_mode,
    synchronous: Number((await selectRows<{ synchronous: number }>('PRAGMA synchronous'))[0].synchronous),
    busyTimeout: Number((await selectRows<{ timeout: number }>('PRAGMA busy_timeout'))[0].timeout),
    foreignKeys: Number((await selectRows<{ foreign_keys: number }>('PRAGMA foreign_keys'))[0].foreign_keys),
  });

  it('when the app queries, in a transaction (a connection of its own) or not, then the connection is in WAL mode with NORMAL sync, a 10 s busy wait and foreign keys', async () => {
    assert.ok(isSqlite());
    const expected = { journal: 'wal', synchronous: 1, busyTimeout: 10_000, foreignKeys: 1 };
    assert.deepEqual(await settings(), expected);
    assert.deepEqual(await transaction(settings), expected);
  });
});
