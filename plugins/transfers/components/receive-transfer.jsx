import React, { useEffect, useState } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import ReceiveLines, { receivedItems } from '../../stock-actions/components/receive-lines';

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
      setLines((data.transfer?.lines || []).map((l) => ({ ...l, expected: l.shipped, open: l.shipped - l.received, quantity: String(l.shipped - l.received) })));
    });
  }, [resource.id, record.id, action.name]);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const items = receivedItems(lines);
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
      <ReceiveLines lines={lines} setLines={setLines} expectedLabel="Shipped" testId="receive-transfer-line" />
      <Button variant="contained" type="submit" disabled={busy || !lines.some((l) => Number(l.quantity) > 0)}>Receive stock</Button>
    </Box>
  );
};

export default ReceiveTransfer;
