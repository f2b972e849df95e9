import React, { useEffect, useState } from 'react';
import { Box, Button, H4, Input, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();

/** Receive a transfer: one quantity per line, prefilled with what is still in transit; zero lines are skipped. */
const ReceiveTransfer = ({ resource, action, record }) => {
  const [transfer, setTransfer] = useState(null);
  const [lines, setLines] = useState([]);
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name }).then(({ data }) => {
      setTransfer(data.transfer);
      setLines((data.transfer?.lines || []).map((l) => ({ ...l, open: l.shipped - l.received, quantity: String(l.shipped - l.received) })));
    });
  }, [resource.id, record.id, action.name]);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const items = lines.filter((l) => Number(l.quantity) > 0).map((l) => ({ productId: l.productId, quantity: Number(l.quantity) }));
    const data = new FormData();
    data.set('items', JSON.stringify(items));
    try {
      handleResponse(await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data }));
    } finally {
      setBusy(false);
    }
  };

  if (!transfer) return <Text>Loading…</Text>;
  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="receive-transfer-form">
      <H4>Receive transfer #{transfer.id}: {transfer.fromLocation.name} → {transfer.toLocation.name}</H4>
      <Table mb="xl">
        <TableHead>
          <TableRow><TableCell>Product</TableCell><TableCell>Shipped</TableCell><TableCell>Received</TableCell><TableCell>Receive now</TableCell></TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line, index) => (
            <TableRow key={line.productId} data-testid="receive-transfer-line">
              <TableCell>{line.name} ({line.sku})</TableCell>
              <TableCell>{line.shipped}</TableCell>
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

export default ReceiveTransfer;
