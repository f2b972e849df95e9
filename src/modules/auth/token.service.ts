import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { QueryTypes } from 'sequelize';
import { db } from '../../db/index.js';
import { getConfig } from '../../config/index.js';
import { unauthenticated } from '../../shared/errors.js';
import { ReadCache } from '../../shared/read-cache.js';
import { User } from '../users/user.model.js';

interface TokenClaims {
  sub: string;
  role: string;
  /** The user's token version at issue time; bumping it revokes every older token. */
  tv: number;
}

/**
 * The secret as a KeyObject, made once: given a string, jsonwebtoken first
 * tries (and fails) to parse it as a public key on every call.
 */
let signingKey: { secret: string; key: KeyObject } | undefined;
function secretKey(): KeyObject {
  const secret = getConfig().jwtSecret;
  if (signingKey?.secret !== secret) signingKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return signingKey.key;
}

export function issueToken(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): string {
  const claims: TokenClaims = { sub: String(user.id), role: user.role, tv: user.tokenVersion };
  return jwt.sign(claims, secretKey(), {
    algorithm: 'HS256',
    expiresIn: getConfig().jwtExpiresIn as jwt.SignOptions['expiresIn'],
  });
}

/** What a request needs of its user: the primary-key row, read without a model instance. */
export type TokenUser = Pick<User, 'id' | 'role' | 'email' | 'name' | 'tokenVersion'>;

/** A deleted (or never existing) user, remembered like the others. */
const NO_USER = {} as TokenUser;
const USER_BY_ID = 'SELECT id, role, email, name, token_version AS tokenVersion FROM users WHERE id = ?';

/**
 * The users that requests carried, for under a second: every committed write
 * to a user on this instance (logout, password, role, panel edits) empties it
 * at once; another instance's entries expire within USER_TTL_MS, so a logout
 * there is refused here within a second (the issue's bound), without a read of
 * the users table on every request.
 */
export const USER_TTL_MS = 900;
const tokenUsers = new ReadCache<TokenUser>({ name: 'tokenUsers', max: 10_000, ttlMs: USER_TTL_MS, shared: false });

/** Called once the models are initialised (hooks live on the initialised models). */
export function watchUserWrites(): void {
  tokenUsers.clear();
  tokenUsers.watch(User);
}

/**
 * Verifies signature (HS256 only), expiry and revocation; returns the current
 * user. Revocation is a primary-key read of the user's token version, kept for
 * under a second (see tokenUsers): a logout (token version bumped) is refused
 * by the very next request on this instance and within a second on others.
 */
export async function userFromToken(token: string): Promise<TokenUser> {
  let claims: TokenClaims;
  try {
    claims = jwt.verify(token, secretKey(), { algorithms: ['HS256'] }) as TokenClaims;
  } catch (err) {
    throw unauthenticated(err instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token');
  }
  const id = Number(claims.sub);
  if (!Number.isInteger(id) || typeof claims.tv !== 'number') throw unauthenticated('Invalid token');
  const user = await tokenUsers.get(String(id), async () => {
    const [row] = await db().query<TokenUser>(USER_BY_ID, { type: QueryTypes.SELECT, replacements: [id], raw: true });
    return row ?? NO_USER;
  });
  if (user === NO_USER || Number(user.tokenVersion) !== claims.tv) throw unauthenticated('Token revoked');
  return user;
}
