import type { Role } from './rights.js';

/**
 * Who does something, for every service: REST routes, panel actions, AI tools
 * and seeders all pass one. `id` is null for the system (seeders, bootstrap)
 * and for self-registration; `role` is there when a rule depends on it
 * (a shopper's own orders, the price tier).
 */
export interface Actor {
  id: number | null;
  role?: Role;
  ip?: string | null;
}

/** An actor that is a signed-in user. */
export interface UserActor extends Actor {
  id: number;
  role: Role;
}

/** The system itself (bootstrap, seeders, background work). */
export const SYSTEM: Actor = Object.freeze({ id: null });
