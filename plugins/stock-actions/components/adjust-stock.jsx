import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, H4, Input, Label, Select, Text, TextArea } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from './location-select';

const REASONS = ['count', 'damage', 'loss', 'return', 'correction', 'other'].map((value) => ({ value, label: value }));
const api = new ApiClient();

/** Adjust stock: a signed quantity, a reason and a note, sent to the adjustStock record action. */
const AdjustStock = ({ resource, action, record }) => {
  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState(REASONS[0]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [locations, setLocations] = useState({ options: [], levels: [] });
  const [location, setLocation] = useState(null);
  const handleResponse = useActionResponseHandler();
  const { name, sku, stock } = record.params;

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name }).then(({ data }) => {
      const options = locationOptions(data.locations);
      setLocations({ options, levels: data.levels || [] });
      setLocation(preselected(options, data.locations));
    });
  }, [resource.id, record.id, action.name]);
  const here = location && locations.levels.find((l) => String(l.locationId) === location.value);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const data = new FormData();
    data.set('delta', delta);
    data.set('reason', reason.value);
    data.set('note', note);
    if (location) data.set('locationId', location.value);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data });
      handleResponse(response);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="adjust-stock-form">
      <H4>{name} ({sku})</H4>
      <Text mb="xl">
        Current stock: <strong data-testid="current-stock">{stock}</strong>
        {here ? <span data-testid="stock-here">, {here.quantity} at {here.code}</span> : null}. Use a negative quantity to remove units.
      </Text>
      <LocationSelect value={location} options={locations.options} onChange={setLocation} />
      <FormGroup>
        <Label required htmlFor="delta">Quantity change</Label>
        <Input id="delta" name="delta" type="number" step="1" required value={delta} onChange={(e) => setDelta(e.target.value)} />
      </FormGroup>
      <FormGroup>
        <Label required>Reason</Label>
        <Select value={reason} options={REASONS} onChange={(selected) => setReason(selected ?? REASONS[0])} />
      </FormGroup>
      <FormGroup>
        <Label htmlFor="note">Note</Label>
        <TextArea id="note" name="note" width="100%" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || delta === ''}>
        Apply adjustment
      </Button>
    </Box>
  );
};

export default AdjustStock;
