import type { Request } from 'express';
import { unauthenticated } from '../shared/errors.js';
import { userFromToken } from '../modules/auth/token.service.js';
import type { Role } from '../shared/rights.js';

export interface AuthUser {
  id: number;
  role: Role;
  email: string;
  name: string;
}

/** Reads `Authorization: Bearer <jwt>`; undefined when absent, 401 when present but unusable. */
export async function authenticateRequest(req: Request): Promise<AuthUser | undefined> {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('Malformed Authorization header');
  const user = await userFromToken(match[1]);
  return { id: user.id, role: user.role, email: user.email, name: user.name };
}
