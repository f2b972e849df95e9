import React from 'react';
import { FormGroup, Label, Select } from '@adminjs/design-system';

/** The locations as Select options ("Main store (MAIN)"), the default marked. */
export const locationOptions = (locations = []) => locations.map((l) => ({ value: String(l.id), label: `${l.name} (${l.code})${l.isDefault ? ' · default' : ''}` }));

/** The option to preselect: the given id, else the default location. */
export const preselected = (options, locations = [], id) => {
  const wanted = id ?? locations.find((l) => l.isDefault)?.id;
  return options.find((o) => o.value === String(wanted)) ?? options[0] ?? null;
};

/** A location picker for the stock forms (the handler's GET supplies `locations`). */
const LocationSelect = ({ label = 'Location', value, options, onChange, testId = 'location-select' }) => (
  <FormGroup data-testid={testId}>
    <Label required>{label}</Label>
    <Select value={value} options={options} onChange={(selected) => onChange(selected ?? value)} />
  </FormGroup>
);

export default LocationSelect;
