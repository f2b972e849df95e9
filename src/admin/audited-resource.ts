import { AppError as PanelError, buildFeature, flat, ValidationError, type ActionContext, type ActionRequest, type ParamsType, type ResourceOptions } from 'adminjs';
import type AdminJS from 'adminjs';
import { Resource, createValidationError } from '@adminjs/sequelize';
import { ForeignKeyConstraintError, UniqueConstraintError, ValidationError as SequelizeValidationError, type Model, type ModelStatic, type Transaction } from 'sequelize';
import { transaction } from '../db/index.js';
import { changedFields, recordAudit } from '../modules/audit/audit.service.js';
import { errorMessage } from '../../plugins/stock-actions/handlers/notice.js';
import { actorId, requestIp } from './access.js';

/** Where the caller's address waits in the action context (AdminJS hands the resource the context, not the request). */
const CALLER_IP = 'callerIp';

/** Bookkeeping columns: never "changed" by a form, so never in an audit row. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt']);

type Verb = 'create' | 'update' | 'delete';
type Row = Model & { toJSON(): ParamsType };

/**
 * The panel's generic new/edit/delete for a model: each write and its audit
 * row (`<entity>.create|update|delete`, who, the changed fields, the caller's
 * address) run in one transaction(), so a change is never kept without its
 * audit row, nor the other way round. The @adminjs/sequelize Resource passes
 * no transaction to Sequelize, hence these three methods are its own, with
 * the same parsing and validation errors.
 */
export class AuditedResource extends Resource {
  constructor(
    private readonly model: ModelStatic<Model>,
    private readonly entityType: string,
  ) {
    super(model);
  }

  /** AdminJS hands the resource the action context, not the request: its writes first note the caller's address there. */
  override assignDecorator(admin: AdminJS, options: ResourceOptions = {}): void {
    super.assignDecorator(admin, rememberCallerFeature(admin, options));
  }

  override async create(params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    const values = this.values(params);
    return this.audited('create', context, async (t) => {
      const row = (await this.model.create(values, { transaction: t })) as Row;
      return { id: this.idOf(row), changes: withoutBookkeeping(values), result: row.toJSON() };
    });
  }

  override async update(id: string | number, params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    const values = this.values(params);
    return this.audited('update', context, async (t) => {
      const row = await this.row(id, t);
      const before = { ...row.get({ plain: true }) };
      await row.update(values, { transaction: t });
      await row.reload({ transaction: t });
      const after = row.get({ plain: true }) as Record<string, unknown>;
      const submitted = Object.fromEntries(Object.keys(withoutBookkeeping(values)).filter((key) => key in after).map((key) => [key, after[key]]));
      return { id, changes: changedFields(before, submitted), result: row.toJSON() };
    });
  }

  override async delete(id: string | number, context?: ActionContext): Promise<void> {
    await this.audited('delete', context, async (t) => {
      const row = await this.row(id, t);
      const snapshot = withoutBookkeeping(row.get({ plain: true }));
      await row.destroy({ transaction: t });
      return { id, changes: snapshot, result: undefined };
    });
  }

  private values(params: ParamsType): Record<string, unknown> {
    return flat.unflatten(this.parseParams(params));
  }

  private idOf(row: Row): unknown {
    return row.get(this.primaryKey());
  }

  private async row(id: string | number, t: Transaction): Promise<Row> {
    const row = (await this.model.findByPk(id, { transaction: t })) as Row | null;
    if (!row) throw refused(`This ${this.entityType} no longer exists; nothing was changed.`);
    return row;
  }

  /** Runs the write and its audit row in one transaction; an update that changed nothing writes no row. */
  private async audited<T>(verb: Verb, context: ActionContext | undefined, work: (t: Transaction) => Promise<{ id: unknown; changes: Record<string, unknown>; result: T }>): Promise<T> {
    try {
      return await transaction(async (t) => {
        const { id, changes, result } = await work(t);
        if (verb !== 'update' || Object.keys(changes).length) {
          await recordAudit(
            { userId: actorId(context?.currentAdmin), action: `${this.entityType}.${verb}`, entityType: this.entityType, entityId: id as number, changes, ip: context?.[CALLER_IP] ?? null },
            t,
          );
        }
        return result;
      });
    } catch (err) {
      throw panelError(err);
    }
  }
}

function withoutBookkeeping(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !BOOKKEEPING.has(key)));
}

/**
 * A failed write the panel shows as the form's error notice, the form kept.
 * (A ValidationError without field errors would count as valid: the built-in
 * actions would report success.)
 */
function refused(message: string): PanelError {
  return new PanelError(message);
}

/** Field errors stay field errors (as @adminjs/sequelize reports them); anything else becomes the form's error notice. */
function panelError(err: unknown): Error {
  if (err instanceof ValidationError) return err;
  if (err instanceof SequelizeValidationError || err instanceof UniqueConstraintError) {
    // SQLite reports any failed constraint (a trigger's abort too) as unique, with no field: that is no field error.
    const fields = createValidationError(err);
    if (Object.keys(fields.propertyErrors).length) return fields;
  }
  if (err instanceof ForeignKeyConstraintError) return refused('The record is referenced by other records or refers to a missing one; nothing was changed.');
  return refused(errorMessage(err));
}

async function rememberCaller(request: ActionRequest, context: ActionContext): Promise<ActionRequest> {
  context[CALLER_IP] = requestIp(request);
  return request;
}

const rememberCallerFeature = buildFeature({
  actions: { new: { before: rememberCaller }, edit: { before: rememberCaller }, delete: { before: rememberCaller }, bulkDelete: { before: rememberCaller } },
});

export function auditedResource(model: ModelStatic<Model>, entityType: string): AuditedResource {
  return new AuditedResource(model, entityType);
}
