import express, { type Request, type RequestHandler, type Router } from 'express';
import type AdminJS from 'adminjs';
import type { BaseResource } from 'adminjs';

type ActionType = 'resource' | 'record' | 'bulk';

function resourceOf(admin: AdminJS, id: string): BaseResource | undefined {
  return admin.resources.find((resource) => resource.decorate().id() === id);
}

const OF_TYPE = { resource: 'isResourceType', record: 'isRecordType', bulk: 'isBulkType' } as const;

function hasAction(resource: BaseResource, name: string, type: ActionType): boolean {
  const { actions } = resource.decorate();
  return Object.hasOwn(actions, name) && actions[name][OF_TYPE[type]]();
}

/** AdminJS sends a malformed numeric id to the database; it can never name a record. */
function plausibleId(resource: BaseResource, id: string): boolean {
  const idProperty = Object.values(resource.decorate().properties).find((p) => p.isId());
  if (idProperty?.type() !== 'number') return true;
  return /^[1-9]\d*$/.test(id) && Number.isSafeInteger(Number(id));
}

async function recordExists(resource: BaseResource, id: string): Promise<boolean> {
  return plausibleId(resource, id) && (await resource.findOne(id)) !== null;
}

/** AdminJS acts on the records of a bulk request that exist, and fails when none does. */
async function someRecordExists(resource: BaseResource, ids: string[]): Promise<boolean> {
  const plausible = ids.filter((id) => plausibleId(resource, id));
  return plausible.length > 0 && (await resource.findMany(plausible)).length > 0;
}

function recordIdsOf(req: Request): string[] {
  const raw = req.query.recordIds;
  return typeof raw === 'string' ? raw.split(',').filter(Boolean) : [];
}

/**
 * What the request names that the panel does not have, or undefined when
 * everything it names exists.
 */
async function missingTarget(admin: AdminJS, req: Request, type: ActionType | 'resource-page' | 'page'): Promise<string | undefined> {
  const { resourceId, action, recordId, pageName } = req.params as Record<string, string>;
  if (type === 'page') return Object.hasOwn(admin.options.pages ?? {}, pageName) ? undefined : `No page "${pageName}"`;
  const resource = resourceOf(admin, resourceId);
  if (!resource) return `No resource "${resourceId}"`;
  if (type === 'resource-page') return undefined;
  if (!hasAction(resource, action, type)) return `No ${type} action "${action}" on ${resourceId}`;
  if (type === 'record' && !(await recordExists(resource, recordId))) return `No record ${recordId} in ${resourceId}`;
  if (type === 'bulk' && !(await someRecordExists(resource, recordIdsOf(req)))) return `None of the records [${recordIdsOf(req).join(', ')}] is in ${resourceId}`;
  return undefined;
}

/**
 * AdminJS answers 500 when a request names a resource or an action it does
 * not have, 200 with a placeholder for an unknown page, and 200 with a
 * notice (500 for bulk actions) for unknown records. This router answers 404
 * instead, before AdminJS's routes run: JSON (with a notice for the panel's
 * client) under /api, and for a page the panel itself with status 404, which
 * renders its own "not found" view. It runs for signed-in sessions only;
 * anyone else goes on to the sign-in redirect and learns nothing about what
 * exists.
 */
export function refuseUnknownTargets(admin: AdminJS): Router {
  const router = express.Router();
  const check =
    (type: Parameters<typeof missingTarget>[2]): RequestHandler =>
    async (req, res, next) => {
      if (!(req.session as { adminUser?: unknown } | undefined)?.adminUser) return next();
      const missing = await missingTarget(admin, req, type);
      if (!missing) return next();
      if (req.path.startsWith('/api/')) {
        res.status(404).json({ error: { code: 'NOT_FOUND', message: missing }, notice: { message: missing, type: 'error' } });
      } else if (type === 'bulk' && recordIdsOf(req).length === 0) {
        // AdminJS cannot render a bulk page without records.
        res.status(404).type('text/plain').send(missing);
      } else {
        res.status(404);
        next();
      }
    };
  router.get(['/resources/:resourceId', '/api/resources/:resourceId/search{/:query}'], check('resource-page'));
  router.all(['/resources/:resourceId/actions/:action', '/api/resources/:resourceId/actions/:action{/:query}'], check('resource'));
  router.all(['/resources/:resourceId/records/:recordId/:action', '/api/resources/:resourceId/records/:recordId/:action'], check('record'));
  router.all(['/resources/:resourceId/bulk/:action', '/api/resources/:resourceId/bulk/:action'], check('bulk'));
  router.all(['/pages/:pageName', '/api/pages/:pageName'], check('page'));
  return router;
}
