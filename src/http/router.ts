import express, { type Router } from 'express';
import type { ApiRouter } from './route.js';
import { systemRoutes } from './system.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { userRoutes } from '../modules/users/user.routes.js';
import { settingsRoutes } from '../modules/settings/settings.routes.js';

/** Every feature router, in one list: this is the API's table of contents. */
function featureRouters(): ApiRouter[] {
  return [systemRoutes, authRoutes(), userRoutes, settingsRoutes];
}

export function apiRouter(): Router {
  const api = express.Router();
  for (const feature of featureRouters()) api.use(feature.base, feature.router);
  return api;
}
