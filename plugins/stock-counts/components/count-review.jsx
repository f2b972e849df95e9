import React, { useEffect, useState } from 'react';
import { Box, Button, H4, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();
const money = (n) => (n === null || n === undefined ? '' : Number(n).toFixed(2));
const signed = (n) => (n > 0 ? `+${n}` : String(n));

/** Review a submitted count: variances in units and value, largest value first; Post books them. */
const CountReview = ({ resource, action, record }) => {
  const [count, setCount] = useState(null);
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name }).then(({ data }) => setCount(data.count));
  }, [resource.id, record.id, action.name]);

  if (!count) return <Text>Loading…</Text>;
  const counted = count.lines.filter((l) => l.counted !== null);
  const varied = counted
    .filter((l) => l.variance)
    .sort((a, b) => Math.abs(b.varianceValue) - Math.abs(a.varianceValue) || Math.abs(b.variance) - Math.abs(a.variance));
  const uncounted = count.lines.filter((l) => l.counted === null);

  const post = async () => {
    setBusy(true);
    try {
      handleResponse(await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data: new FormData() }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="container" data-testid="count-review">
      <H4>Review count #{count.id} at {count.location.name} ({count.location.code})</H4>
      <Text mb="lg" data-testid="count-review-totals">
        {count.totals.counted} of {count.totals.lines} counted · {varied.length} variance(s) · {signed(count.totals.varianceUnits)} unit(s), {money(count.totals.varianceValue)} at cost
      </Text>
      <Table mb="xl">
        <TableHead>
          <TableRow>
            <TableCell>Product</TableCell>
            <TableCell>Expected</TableCell>
            <TableCell>Moved since</TableCell>
            <TableCell>Counted</TableCell>
            <TableCell>Variance</TableCell>
            <TableCell>Value</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {varied.length === 0 ? (
            <TableRow><TableCell colSpan={6}>No variances: the shelves match the books.</TableCell></TableRow>
          ) : (
            varied.map((line) => (
              <TableRow key={line.productId} data-testid="variance-row">
                <TableCell>{line.name} ({line.sku})</TableCell>
                <TableCell>{line.expected}</TableCell>
                <TableCell>{line.movementsSince}</TableCell>
                <TableCell>{line.counted}</TableCell>
                <TableCell style={{ fontWeight: 600, color: line.variance < 0 ? '#b91c1c' : '#047857' }}>{signed(line.variance)}</TableCell>
                <TableCell>{money(line.varianceValue)}</TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
      {uncounted.length ? (
        <Text mb="xl" data-testid="count-uncounted">Uncounted (nothing changes): {uncounted.map((l) => l.sku).join(', ')}</Text>
      ) : null}
      <Button type="button" variant="contained" mt="xl" disabled={busy} onClick={post}>
        Post count
      </Button>
    </Box>
  );
};

export default CountReview;
