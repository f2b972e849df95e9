import React, { useEffect, useState } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from './location-select';
import ReceiveLines, { receivedItems } from './receive-lines';

const api = new ApiClient();

/** Receive: one quantity per outstanding line (prefilled with what is still open); zero lines are skipped. */
const ReceivePurchase = ({ resource, action, record }) => {
  const [lines, setLines] = useState(null);
  const [busy, setBusy] = useState(false);
  const [locations, setLocations] = useState([]);
  const [location, setLocation] = useState(null);
  const handleResponse = useActionResponseHandler();

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name }).then(({ data }) => {
      const options = locationOptions(data.locations);
      setLocations(options);
      // Goods arrive where the purchase was made for unless another location is chosen.
      setLocation(preselected(options, data.locations, record.params.locationId));
      setLines((data.outstanding || []).map((l) => ({ ...l, expected: l.ordered, quantity: String(l.open) })));
    });
  }, [resource.id, record.id, action.name]);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const items = receivedItems(lines);
    const data = new FormData();
    data.set('items', JSON.stringify(items));
    if (location) data.set('locationId', location.value);
    try {
      handleResponse(await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data }));
    } finally {
      setBusy(false);
    }
  };

  if (!lines) return <Text>Loading…</Text>;
  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="receive-form">
      <H4>Receive {record.params.reference || `purchase #${record.id}`}</H4>
      <LocationSelect label="Arrives at" value={location} options={locations} onChange={setLocation} />
      <ReceiveLines lines={lines} setLines={setLines} expectedLabel="Ordered" testId="receive-line" />
      <Button variant="contained" type="submit" disabled={busy || !lines.some((l) => Number(l.quantity) > 0)}>Receive stock</Button>
    </Box>
  );
};

export default ReceivePurchase;
