import { AppError as PanelError, BaseRecord, type ActionResponse, type BaseProperty, type Filter, type ResourceWithOptions } from 'adminjs';
import { Resource, convertFilter } from '@adminjs/sequelize';
import { Op, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import { User } from '../../modules/users/user.model.js';
import { Order } from '../../modules/storefront/storefront.models.js';
import { toMoney } from '../../shared/money.js';
import { STOREFRONT_ROLES } from '../../shared/rights.js';
import { canReadCustomers } from '../access.js';
import { Components } from '../component-loader.js';
import { builtInActions, NAVIGATION } from './resource-helpers.js';

const ORDER_ROWS = 10;
const SHOPPERS = { role: { [Op.in]: [...STOREFRONT_ROLES] } };
/** Columns the view does not even know about: nothing can show, filter or sort by them. */
const SECRETS = new Set(['passwordHash', 'resetTokenHash', 'resetTokenExpiresAt', 'tokenVersion']);

interface FindOptions {
  limit?: number;
  offset?: number;
  sort?: { sortBy?: string; direction?: 'asc' | 'desc' };
}

/**
 * The users table seen as storefront accounts only (customers and retailers):
 * every read adds the role condition, whatever the list filters say, and the
 * view never writes.
 */
class CustomerResource extends Resource {
  constructor() {
    super(User as ModelStatic<Model>);
  }

  override id(): string {
    return 'customers';
  }

  override properties(): BaseProperty[] {
    return super.properties().filter((property) => !SECRETS.has(property.name()));
  }

  override property(path: string): BaseProperty | null {
    return SECRETS.has(path.split('.')[0]) ? null : super.property(path);
  }

  override async count(filter: Filter): Promise<number> {
    return User.count({ where: shoppers(filter) });
  }

  override async find(filter: Filter, { limit = 20, offset = 0, sort = {} }: FindOptions): Promise<BaseRecord[]> {
    const sortBy = sort.sortBy && this.property(sort.sortBy) ? sort.sortBy : 'name';
    const rows = await User.findAll({ where: shoppers(filter), limit, offset, order: [[sortBy, sort.direction === 'desc' ? 'DESC' : 'ASC']] });
    return rows.map((row) => new BaseRecord(row.toJSON(), this));
  }

  override async findById(id: string | number): Promise<User | null> {
    return User.findOne({ where: { id, ...SHOPPERS } });
  }

  override async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
    const rows = await User.findAll({ where: { id: { [Op.in]: ids }, ...SHOPPERS } });
    return rows.map((row) => new BaseRecord(row.toJSON(), this));
  }

  /** Other resources' references (an order's customer) resolve through the same role condition. */
  override async populate(records: BaseRecord[], property: BaseProperty): Promise<BaseRecord[]> {
    const found = await this.findMany(records.map((record) => record.param(property.name())).filter((id) => id !== null && id !== undefined));
    const byId = new Map(found.map((record) => [String(record.id()), record]));
    for (const record of records) {
      const customer = byId.get(String(record.param(property.name())));
      if (customer) record.populated[property.name()] = customer;
    }
    return records;
  }

  override async create(): Promise<never> {
    throw new PanelError('Customers are read-only here');
  }

  override async update(): Promise<never> {
    throw new PanelError('Customers are read-only here');
  }

  override async delete(): Promise<never> {
    throw new PanelError('Customers are read-only here');
  }
}

function shoppers(filter: Filter): WhereOptions {
  return { [Op.and]: [convertFilter(filter), SHOPPERS] };
}

/** The show page carries the customer's latest orders (and how many there are) for the CustomerOrders component. */
async function withOrders(response: ActionResponse): Promise<ActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!id) return response;
  const { rows, count } = await Order.findAndCountAll({ where: { userId: id }, order: [['id', 'DESC']], limit: ORDER_ROWS });
  response.record.params.orders = JSON.stringify({
    total: count,
    rows: rows.map((o) => ({ id: o.id, orderNumber: o.orderNumber, status: o.status, total: toMoney(o.total), createdAt: o.createdAt })),
  });
  return response;
}

/** Storefront accounts for whoever may read customer data: read-only, no secrets, their orders one click away. */
export function customerResource(): ResourceWithOptions {
  const actions = builtInActions({ read: canReadCustomers });
  return {
    resource: new CustomerResource(),
    options: {
      navigation: NAVIGATION.storefront,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'email', 'role', 'phone', 'createdAt'],
      showProperties: ['name', 'email', 'role', 'phone', 'address', 'createdAt', 'orders'],
      filterProperties: ['name', 'email', 'role', 'phone', 'createdAt'],
      properties: {
        role: { availableValues: STOREFRONT_ROLES.map((role) => ({ value: role, label: role })) },
        address: { type: 'textarea' },
        orders: { type: 'string', isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.CustomerOrders } },
      },
      actions: { ...actions, show: { ...actions.show, after: withOrders } },
    },
  };
}
