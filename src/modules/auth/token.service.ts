import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { QueryTypes } from 'sequelize';
import { db } from '../../db/index.js';
import { getConfig } from '../../config/index.js';
import { unauthenticated } from '../../shared/errors.js';
import type { User } from '../users/user.model.js';

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

const USER_BY_ID = 'SELECT id, role, email, name, token_version AS tokenVersion FROM users WHERE id = ?';

/**
 * Verifies signature (HS256 only), expiry and revocation; returns the current
 * user. Revocation is one primary-key read per request, not cached: a logout
 * (token version bumped) is refused by the very next request on every instance.
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
  const [user] = await db().query<TokenUser>(USER_BY_ID, { type: QueryTypes.SELECT, replacements: [id], raw: true });
  if (!user || Number(user.tokenVersion) !== claims.tv) throw unauthenticated('Token revoked');
  return user;
}
