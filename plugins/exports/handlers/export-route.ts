import { Filter, flat, type AdminJS, type BaseResource } from 'adminjs';
import { Router, type Request, type Response } from 'express';
import { canExport } from '../../../src/admin/access.js';
import { logger } from '../../../src/shared/logger.js';
import { writeCsv, type CsvRow } from '../../../src/shared/csv.js';
import { reportReads } from '../../../src/db/index.js';

const BATCH = 500;

/** Resources that offer the export (the `exportCsv` action added by csvExportFeature). */
function exportable(admin: AdminJS, resourceId: string): BaseResource | undefined {
  try {
    const resource = admin.findResource(resourceId);
    return resource.decorate().actions.exportCsv ? resource : undefined;
  } catch {
    return undefined;
  }
}

/** Stored columns in the order the show page lists them (virtual and hidden fields are left out). */
function columns(resource: BaseResource): string[] {
  const stored = new Set(resource.properties().map((p) => p.name()));
  return resource
    .decorate()
    .getProperties({ where: 'show' })
    .map((p) => p.name())
    .filter((name) => stored.has(name));
}

/** The list's records under its filter and sort, batch by batch, as plain rows of the given columns. */
async function* records(resource: BaseResource, filter: Filter, sort: { sortBy: string; direction: 'asc' | 'desc' }, names: string[]): AsyncGenerator<CsvRow> {
  for (let offset = 0; ; offset += BATCH) {
    const batch = await resource.find(filter, { limit: BATCH, offset, sort });
    for (const record of batch) yield Object.fromEntries(names.map((name) => [name, record.params[name]]));
    if (batch.length < BATCH) return;
  }
}

/**
 * GET /admin/exports/:resourceId?filters.x=..&sortBy=..&direction=..: the list's
 * current filters, streamed in batches so a large table never sits in memory.
 */
export function csvExportRouter(admin: AdminJS): Router {
  const router = Router();
  router.get('/exports/:resourceId', async (req: Request, res: Response) => {
    const currentAdmin = (req.session as unknown as { adminUser?: Record<string, unknown> }).adminUser;
    const resource = exportable(admin, String(req.params.resourceId));
    if (!resource) return void res.status(404).type('text/plain').send('Not found');
    if (!canExport({ currentAdmin: currentAdmin as never })) return void res.status(403).type('text/plain').send('Forbidden');

    const query = flat.unflatten(req.query as Record<string, string>) as { filters?: Record<string, unknown>; sortBy?: string; direction?: string };
    const filter = new Filter(query.filters ?? {}, resource);
    const names = columns(resource);
    const sortBy = query.sortBy && names.includes(query.sortBy) ? query.sortBy : resource.id() === 'products' ? 'name' : 'id';
    const sort = { sortBy, direction: (query.direction === 'desc' ? 'desc' : 'asc') as 'asc' | 'desc' };
    const stamp = new Date().toISOString().slice(0, 10);

    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${resource.id()}-${stamp}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      // A report: from a replica when DATABASE_READ_URLS has one.
      await reportReads(() => writeCsv(records(resource, filter, sort, names), names, res));
    } catch (err) {
      logger().error({ err: (err as Error).message, resource: resource.id() }, 'CSV export failed');
      res.destroy(err as Error);
    }
  });
  return router;
}
