import session from 'express-session';
import connectSessionSequelize from 'connect-session-sequelize';
import { db } from '../db/index.js';

const SequelizeStore = connectSessionSequelize(session.Store);

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** Panel sessions live in the `sessions` table (the Session model), so restarts and other instances keep them. */
export function createSessionStore() {
  return new SequelizeStore({ db: db(), table: 'Session', expiration: SESSION_TTL_MS, checkExpirationInterval: 15 * 60 * 1000 });
}
