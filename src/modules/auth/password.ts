import bcrypt from 'bcrypt';
import { getConfig } from '../../config/index.js';

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, getConfig().bcryptCost);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** A real hash to compare against when the email is unknown, so both paths take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword('decoy-password-for-timing');
  return decoy;
}
