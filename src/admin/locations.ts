import { Location } from '../modules/locations/location.model.js';

export interface LocationChoice {
  id: number;
  code: string;
  name: string;
  isDefault: boolean;
}

/** The locations a panel form offers (active ones, the default first), for the location pickers. */
export async function locationChoices(): Promise<LocationChoice[]> {
  const rows = await Location.findAll({ where: { archivedAt: null }, order: [['isDefault', 'DESC'], ['name', 'ASC']] });
  return rows.map((l) => ({ id: l.id, code: l.code, name: l.name, isDefault: l.isDefault }));
}

/** A form's location field: empty means "the default location" (the service resolves it), anything else is the id. */
export function locationField(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const id = Number(raw);
  return Number.isFinite(id) ? id : (raw as number);
}
