import type { ActionContext, ActionHandler, ActionResponse, RecordActionResponse } from 'adminjs';
import { panelActor } from '../../../src/admin/access.js';
import { errorMessage, failed } from '../../../src/admin/notice.js';
import { locationChoices, locationField } from '../../../src/admin/locations.js';
import { backToShow, jsonField } from '../../../src/admin/action-responses.js';
import { Product } from '../../../src/modules/products/product.model.js';
import { cancelCount, createCount, getCount, postCount, recordCounts, submitCount, type CountDto } from '../../../src/modules/stock-counts/stock-count.service.js';
import { createCountBody, recordCountsBody } from '../../../src/modules/stock-counts/stock-count.schemas.js';
import type { Role } from '../../../src/shared/rights.js';

const COUNTS = 'stock_counts';

/** The categories of active products, for the New count form's category filter. */
async function categories(): Promise<string[]> {
  const rows = await Product.findAll({ attributes: ['category'], where: { archivedAt: null }, group: ['category'], order: [['category', 'ASC']], raw: true });
  return rows.map((r) => r.category).filter((c): c is string => Boolean(c));
}

const reader = (context: ActionContext) => ({ role: context.currentAdmin?.role as Role });
const progress = (count: CountDto) => `${count.totals.counted} of ${count.totals.lines} counted`;

/** New count: GET gives the form its locations and categories; POST opens the count (the snapshot) and goes on to entering counts. */
export const newCountHandler: ActionHandler<ActionResponse> = async (request, _response, context) => {
  if (request.method !== 'post') return { locations: await locationChoices(), categories: await categories() };
  try {
    const raw = jsonField(request.payload, 'count', 'count') as Record<string, unknown>;
    const input = createCountBody.parse({ ...raw, locationId: locationField(raw.locationId) });
    const count = await createCount(input, panelActor(context.currentAdmin, request));
    return {
      redirectUrl: context.h.recordActionUrl({ resourceId: COUNTS, recordId: String(count.id), actionName: 'enterCounts' }),
      notice: { message: `Count #${count.id} opened at ${count.location.code}: ${count.totals.lines} product(s) to count`, type: 'success' },
    };
  } catch (err) {
    return { notice: { message: errorMessage(err), type: 'error' } };
  }
};

/**
 * Enter counts: GET gives the lines (expected hidden from staff in a blind
 * count); POST records the changed lines (`save`), and with `submit` closes
 * counting so a manager can review the variances.
 */
export const enterCountsHandler: ActionHandler<RecordActionResponse & { count?: CountDto }> = async (request, _response, context) => {
  const { record, currentAdmin } = context;
  const id = Number(record!.id());
  if (request.method !== 'post') return { record: record!.toJSON(currentAdmin), count: await getCount(id, reader(context)) };
  try {
    const actor = panelActor(currentAdmin, request);
    const lines = jsonField(request.payload, 'lines', 'count') as unknown[];
    let count = lines.length ? await recordCounts(id, recordCountsBody.parse({ lines }), actor) : await getCount(id, actor);
    if (request.payload?.op !== 'submit') {
      return { record: record!.toJSON(currentAdmin), count, notice: { message: `Saved ${lines.length} line(s): ${progress(count)}`, type: 'success' } };
    }
    count = await submitCount(id, actor);
    return await backToShow(context, `Count #${id} submitted for review: ${progress(count)}`);
  } catch (err) {
    return failed(context, err);
  }
};

/** Review and post (managers): GET gives the variances; POST books them as `count` ledger rows. */
export const reviewCountHandler: ActionHandler<RecordActionResponse & { count?: CountDto }> = async (request, _response, context) => {
  const { record, currentAdmin } = context;
  const id = Number(record!.id());
  if (request.method !== 'post') return { record: record!.toJSON(currentAdmin), count: await getCount(id, reader(context)) };
  try {
    const count = await postCount(id, panelActor(currentAdmin, request));
    const adjusted = count.lines.filter((l) => l.variance).length;
    return await backToShow(context, `Count #${id} posted: ${adjusted} product(s) adjusted, ${count.totals.varianceUnits} unit(s), ${count.totals.varianceValue.toFixed(2)} at cost`);
  } catch (err) {
    return failed(context, err);
  }
};

export const cancelCountHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  try {
    const count = await cancelCount(Number(context.record!.id()), panelActor(context.currentAdmin, request));
    return await backToShow(context, `Count #${count.id} cancelled; nothing was posted`);
  } catch (err) {
    return failed(context, err);
  }
};
