import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { primaryRows } from '../../db/index.js';
import { getConfig } from '../../config/index.js';
import { unauthenticated } from '../../shared/errors.js';
import { ReadCache } from '../../shared/read-cache.js';
import { User } from '../users/user.model.js';

interface TokenClaims {
  sub: string;
  role: string;
  /** The user's token version at issue time; bumping it revokes every older token. */
  tv: number;
  /** Expiry, seconds since the epoch (set by issueToken). */
  exp?: number;
}

/**
 * The secret as a KeyObject, made once: given a string, jsonwebtoken first
 * tries (and fails) to parse it as a public key on every call.
 */
let signingKey: { secret: string; key: KeyObject } | undefined;
function secretKey(): KeyObject {
  const secret = getConfig().jwtSecret;
  if (signingKey?.secret !== secret) {
    signingKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
    verifiedTokens.clear();
  }
  return signingKey.key;
}

export function issueToken(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): string {
  const claims: TokenClaims = { sub: String(user.id), role: user.role, tv: user.tokenVersion };
  return jwt.sign(claims, secretKey(), {
    algorithm: 'HS256',
    expiresIn: getConfig().jwtExpiresIn as jwt.SignOptions['expiresIn'],
  });
}

/**
 * Tokens whose signature checked out, with their claims: the check is an
 * HMAC, about a tenth of the CPU of a request reading one product, the same
 * for every request a client sends with the token. Kept by the whole token
 * text (nobody holds an entry without the token), emptied when the secret
 * changes; expiry is checked on every use, revocation after (userFromToken).
 */
const verifiedTokens = new LRUCache<string, TokenClaims>({ max: 10_000 });

function verifiedClaims(token: string): TokenClaims {
  const key = secretKey();
  const known = verifiedTokens.get(token);
  if (known && (known.exp === undefined || known.exp * 1000 > Date.now())) return known;
  try {
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] }) as TokenClaims;
    verifiedTokens.set(token, claims);
    return claims;
  } catch (err) {
    verifiedTokens.delete(token);
    throw unauthenticated(err instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token');
  }
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
  const claims = verifiedClaims(token);
  const id = Number(claims.sub);
  if (!Number.isInteger(id) || typeof claims.tv !== 'number') throw unauthenticated('Invalid token');
  const user = await tokenUsers.get(String(id), async () => {
    const [row] = await primaryRows<TokenUser>(USER_BY_ID, [id]);
    return row ?? NO_USER;
  });
  if (user === NO_USER || Number(user.tokenVersion) !== claims.tv) throw unauthenticated('Token revoked');
  return user;
}
