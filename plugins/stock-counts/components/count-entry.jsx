import React, { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Button, H4, Label, Select, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();
const ALL = { value: '', label: 'All categories' };
const asText = (n) => (n === null || n === undefined ? '' : String(n));

/**
 * Enter counts: one number input per line, Enter (or Tab) moves to the next,
 * a category filter and the progress. Save records the lines changed since
 * the last save; Submit saves and closes counting for review.
 */
const CountEntry = ({ resource, action, record }) => {
  const [count, setCount] = useState(null);
  const [values, setValues] = useState({});
  const [category, setCategory] = useState(ALL);
  const [busy, setBusy] = useState(false);
  const inputs = useRef([]);
  const handleResponse = useActionResponseHandler();

  const load = (fresh) => {
    setCount(fresh);
    setValues(Object.fromEntries(fresh.lines.map((l) => [l.productId, asText(l.counted)])));
  };

  useEffect(() => {
    api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name }).then(({ data }) => data.count && load(data.count));
  }, [resource.id, record.id, action.name]);

  const categories = useMemo(() => [ALL, ...[...new Set((count?.lines || []).map((l) => l.category).filter(Boolean))].sort().map((c) => ({ value: c, label: c }))], [count]);
  if (!count) return <Text>Loading…</Text>;

  const visible = count.lines.filter((l) => !category.value || l.category === category.value);
  const counted = count.lines.filter((l) => values[l.productId] !== '' && values[l.productId] !== undefined).length;
  const changed = count.lines.filter((l) => values[l.productId] !== '' && values[l.productId] !== asText(l.counted));
  const showExpected = count.lines.some((l) => l.expected !== null);

  const next = (event, index) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    const target = inputs.current[index + 1];
    if (target) {
      target.focus();
      target.select();
    }
  };

  const send = async (op) => {
    setBusy(true);
    const data = new FormData();
    data.set('op', op);
    data.set('lines', JSON.stringify(changed.map((l) => ({ productId: l.productId, counted: Number(values[l.productId]) }))));
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data });
      if (response.data.count) load(response.data.count);
      handleResponse(response);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box variant="container" data-testid="count-entry">
      <H4>Count #{count.id} at {count.location.name} ({count.location.code}){count.blind ? ' · blind' : ''}</H4>
      <Box flex flexDirection="row" alignItems="flex-end" mb="lg">
        <Box width={280} mr="xl" data-testid="count-filter">
          <Label>Category</Label>
          <Select value={category} options={categories} onChange={(selected) => setCategory(selected ?? ALL)} />
        </Box>
        <Text data-testid="count-progress">
          <strong>{counted} of {count.lines.length} counted</strong>
          {changed.length ? ` · ${changed.length} unsaved` : ''}
        </Text>
      </Box>
      <Table mb="xl">
        <TableHead>
          <TableRow>
            <TableCell>SKU</TableCell>
            <TableCell>Product</TableCell>
            <TableCell>Category</TableCell>
            {showExpected ? <TableCell>Expected</TableCell> : null}
            <TableCell>Counted</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {visible.map((line, index) => (
            <TableRow key={line.productId} data-testid="count-entry-line" data-sku={line.sku}>
              <TableCell>{line.sku}</TableCell>
              <TableCell>{line.name}</TableCell>
              <TableCell>{line.category}</TableCell>
              {showExpected ? <TableCell>{asText(line.expected)}</TableCell> : null}
              <TableCell>
                <input
                  ref={(el) => {
                    inputs.current[index] = el;
                  }}
                  type="number"
                  min="0"
                  step="1"
                  inputMode="numeric"
                  aria-label={`Counted ${line.sku}`}
                  data-testid="count-input"
                  value={values[line.productId] ?? ''}
                  onKeyDown={(e) => next(e, index)}
                  onChange={(e) => setValues({ ...values, [line.productId]: e.target.value })}
                  style={{ width: 110, padding: '6px 8px', fontSize: 14, border: '1px solid #c0c0ca', borderRadius: 2 }}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box flex flexDirection="row" mt="xl">
        <Button type="button" variant="outlined" mr="lg" disabled={busy || !changed.length} onClick={() => send('save')}>
          Save counts
        </Button>
        <Button type="button" variant="contained" disabled={busy || counted === 0} onClick={() => send('submit')}>
          Submit for review
        </Button>
      </Box>
    </Box>
  );
};

export default CountEntry;
