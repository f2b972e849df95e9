import React, { useEffect, useState } from 'react';
import { Box, Button, H4, Input, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from './location-select';

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
      setLines((data.outstanding || []).map((l) => ({ ...l, quantity: String(l.open) })));
    });
  }, [resource.id, record.id, action.name]);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const items = lines.filter((l) => Number(l.quantity) > 0).map((l) => ({ productId: l.productId, quantity: Number(l.quantity) }));
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
      <Table mb="xl">
        <TableHead>
          <TableRow><TableCell>Product</TableCell><TableCell>Ordered</TableCell><TableCell>Received</TableCell><TableCell>Receive now</TableCell></TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line, index) => (
            <TableRow key={line.productId}>
              <TableCell>{line.name} ({line.sku})</TableCell>
              <TableCell>{line.ordered}</TableCell>
              <TableCell>{line.received}</TableCell>
              <TableCell>
                <Input type="number" min="0" max={line.open} step="1" value={line.quantity} disabled={line.open === 0}
                  onChange={(e) => setLines(lines.map((l, i) => (i === index ? { ...l, quantity: e.target.value } : l)))} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Button variant="contained" type="submit" disabled={busy || !lines.some((l) => Number(l.quantity) > 0)}>Receive stock</Button>
    </Box>
  );
};

export default ReceivePurchase;
