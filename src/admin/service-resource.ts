import { AppError as PanelError, buildFeature, ValidationError, type ActionContext, type ActionRequest, type ParamsType, type ResourceOptions } from 'adminjs';
import type AdminJS from 'adminjs';
import { Resource } from '@adminjs/sequelize';
import { DataTypes, type Model, type ModelStatic } from 'sequelize';
import { ZodError } from 'zod';
import type { UserActor } from '../shared/actor.js';
import { ruleError } from '../db/rule-errors.js';
import { AppError } from '../shared/errors.js';
import { refuseNulBytes } from '../shared/text-input.js';
import { panelActor } from './access.js';
import { errorMessage } from './notice.js';

/** Where the caller's address waits in the action context (AdminJS hands the resource the context, not the request). */
const CALLER = 'panelRequest';

/** Form values as the services take them: typed by the model's columns, the service's zod schema still decides. */
export type FormInput = Record<string, unknown>;

/**
 * The service calls behind a resource's generic new, edit and delete. Each one
 * is the same function (and zod schema) the REST route calls, so the panel
 * cannot store what the API would refuse. A missing door is refused.
 */
export interface ServiceDoors {
  create?(input: FormInput, actor: UserActor): Promise<{ id: number }>;
  update?(id: number, input: FormInput, actor: UserActor): Promise<unknown>;
  delete?(id: number, actor: UserActor): Promise<unknown>;
  /** Form fields that are no model column (a password), taken as text; empty means "not given". */
  virtualFields?: string[];
}

const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt']);

/**
 * A Sequelize-backed AdminJS resource whose writes go through the domain
 * services: reads stay the adapter's, but create, update and delete hand the
 * form's values to the feature's service, which validates them with the REST
 * schema, applies the business rules, writes the audit row and commits. Zod
 * and service errors come back as field errors or the form's error notice.
 */
export class ServiceResource extends Resource {
  constructor(
    private readonly model: ModelStatic<Model>,
    private readonly doors: ServiceDoors,
  ) {
    super(model);
  }

  /** AdminJS hands the resource the action context, not the request: its writes first note the request there. */
  override assignDecorator(admin: AdminJS, options: ResourceOptions = {}): void {
    super.assignDecorator(admin, rememberRequest(admin, options));
  }

  override async create(params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    const door = this.door('create');
    const created = await this.call(() => door(this.formInput(params), this.actor(context)));
    return this.current(created.id);
  }

  override async update(id: string | number, params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    const door = this.door('update');
    const before = await this.current(id);
    const changed = Object.fromEntries(Object.entries(this.formInput(params)).filter(([key, value]) => !sameValue(before[key], value)));
    if (Object.keys(changed).length === 0) return before;
    await this.call(() => door(Number(id), changed, this.actor(context)));
    return this.current(id);
  }

  override async delete(id: string | number, context?: ActionContext): Promise<void> {
    const door = this.door('delete');
    await this.call(() => door(Number(id), this.actor(context)));
  }

  private door<K extends 'create' | 'update' | 'delete'>(verb: K): NonNullable<ServiceDoors[K]> {
    const door = this.doors[verb];
    if (!door) throw new PanelError('This change is not available in the back office.');
    return door.bind(this.doors) as NonNullable<ServiceDoors[K]>;
  }

  private actor(context: ActionContext | undefined): UserActor {
    return panelActor(context?.currentAdmin, context?.[CALLER] ?? {});
  }

  private async current(id: string | number): Promise<ParamsType> {
    const row = await this.model.findByPk(id);
    if (!row) throw new PanelError('This record no longer exists; nothing was changed.');
    return row.toJSON() as ParamsType;
  }

  /**
   * The submitted fields typed by their columns: numbers and booleans from
   * their form text, an empty field as null (cleared), dates as ISO text.
   * Bookkeeping columns and unknown keys are left out.
   */
  formInput(params: ParamsType): FormInput {
    const attributes = this.model.getAttributes();
    const input: FormInput = {};
    for (const [key, raw] of Object.entries(params)) {
      if (BOOKKEEPING.has(key)) continue;
      if (this.doors.virtualFields?.includes(key)) {
        if (typeof raw === 'string' && raw !== '') input[key] = raw;
        continue;
      }
      const attribute = attributes[key];
      if (!attribute) continue;
      input[key] = typed(raw, attribute.type, attribute.allowNull !== false);
    }
    try {
      refuseNulBytes(input);
    } catch (err) {
      throw panelError(err);
    }
    return input;
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw panelError(err);
    }
  }
}

function typed(raw: unknown, type: unknown, nullable: boolean): unknown {
  if (raw === undefined || raw === null) return null;
  // AdminJS has already turned date fields into Dates, an unreadable one into an Invalid Date: the schema says why.
  const text = raw instanceof Date ? (Number.isNaN(raw.getTime()) ? String(raw) : raw.toISOString()) : raw;
  if (text === '') return nullable ? null : '';
  if (type instanceof DataTypes.INTEGER || type instanceof DataTypes.DECIMAL || type instanceof DataTypes.FLOAT || type instanceof DataTypes.DOUBLE) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  if (type instanceof DataTypes.BOOLEAN) return text === true || text === 'true' ? true : text === false || text === 'false' ? false : text;
  if (type instanceof DataTypes.DATE) {
    const date = new Date(String(text));
    return Number.isNaN(date.getTime()) ? text : date.toISOString();
  }
  return text;
}

function sameValue(before: unknown, after: unknown): boolean {
  const norm = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /T\d\d:/.test(v) ? new Date(v).toISOString() : v);
  const a = norm(before);
  const b = norm(after);
  return a === b || (a !== null && b !== null && String(a) === String(b) && (typeof a === 'number' || typeof b === 'number'));
}

/**
 * Zod field errors and service errors naming a field become that field's
 * error (the form keeps its values); anything else becomes the form's error
 * notice in the service's own words, never internals.
 */
export function panelError(thrown: unknown): Error {
  const err = ruleError(thrown) ?? thrown;
  if (err instanceof ValidationError || err instanceof PanelError) return err;
  if (err instanceof ZodError) {
    const fields = Object.fromEntries(err.issues.map((issue) => [String(issue.path[0] ?? 'record'), { message: issue.message }]));
    return new ValidationError(fields, { message: errorMessage(err) });
  }
  if (err instanceof AppError && err.details?.length && (err.status === 400 || err.code === 'DUPLICATE')) {
    const fields = Object.fromEntries(err.details.map((d) => [d.path.split('.')[0], { message: d.message }]));
    return new ValidationError(fields, { message: err.message });
  }
  return new PanelError(errorMessage(err));
}

async function remember(request: ActionRequest, context: ActionContext): Promise<ActionRequest> {
  context[CALLER] = request;
  return request;
}

const rememberRequest = buildFeature({
  actions: { new: { before: remember }, edit: { before: remember }, delete: { before: remember }, bulkDelete: { before: remember } },
});

export function serviceResource(model: ModelStatic<Model>, doors: ServiceDoors): ServiceResource {
  return new ServiceResource(model, doors);
}
