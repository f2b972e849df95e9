import { Router, type Request, type Response } from 'express';
import { canExport } from '../../../src/admin/access.js';
import { getSale } from '../../../src/modules/sales/sale.service.js';
import { writeInvoicePdf } from '../../../src/modules/sales/invoice.pdf.js';
import { AppError } from '../../../src/shared/errors.js';
import { logger } from '../../../src/shared/logger.js';

/** GET /admin/invoices/:id: the same PDF as GET /api/sales/:id/invoice.pdf, for a signed-in panel user. */
export function invoiceRouter(): Router {
  const router = Router();
  router.get('/invoices/:id', async (req: Request, res: Response) => {
    const currentAdmin = (req.session as unknown as { adminUser?: Record<string, unknown> }).adminUser;
    if (!canExport({ currentAdmin: currentAdmin as never })) return void res.status(403).type('text/plain').send('Forbidden');
    const id = Number(req.params.id);
    try {
      const sale = await getSale(id);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${sale.invoiceNumber ?? `sale-${id}`}.pdf"`);
      await writeInvoicePdf(id, res);
    } catch (err) {
      if (res.headersSent) return void res.destroy(err as Error);
      const status = err instanceof AppError ? err.status : 500;
      if (status === 500) logger().error({ err: (err as Error).message }, 'invoice PDF failed');
      res.removeHeader('Content-Disposition');
      res.status(status).type('text/plain').send(err instanceof AppError ? err.message : 'Invoice could not be generated');
    }
  });
  return router;
}
