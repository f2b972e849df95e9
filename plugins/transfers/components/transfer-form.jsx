import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, H4, Input, Label, Text, TextArea } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from '../../stock-actions/components/location-select';
import ProductLines, { emptyLine } from '../../stock-actions/components/product-lines';

const api = new ApiClient();

/** New transfer: from and to locations and product lines; the same form on the Transfers list, a product and a location. */
const TransferForm = ({ resource, action, record }) => {
  const [products, setProducts] = useState([]);
  const [locations, setLocations] = useState([]);
  const [from, setFrom] = useState(null);
  const [to, setTo] = useState(null);
  const [lines, setLines] = useState([emptyLine()]);
  const [reference, setReference] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();
  const call = (data) =>
    record
      ? api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, ...(data ? { data } : {}) })
      : api.resourceAction({ resourceId: resource.id, actionName: action.name, ...(data ? { data } : {}) });

  useEffect(() => {
    Promise.all([
      call(),
      api.resourceAction({ resourceId: 'products', actionName: 'list', params: { perPage: 500, sortBy: 'name', direction: 'asc' } }),
    ]).then(([{ data }, list]) => {
      const options = locationOptions(data.locations);
      const productOptions = (list.data.records || []).map((r) => ({ value: r.id, label: `${r.params.name} (${r.params.sku}) · ${r.params.stock} on hand` }));
      setLocations(options);
      setProducts(productOptions);
      const source = preselected(options, data.locations, data.prefill?.fromLocationId);
      setFrom(source);
      setTo(options.find((o) => o.value !== source?.value) ?? null);
      const product = productOptions.find((p) => String(p.value) === String(data.prefill?.productId));
      if (product) setLines([{ product, quantity: '1' }]);
    });
  }, [resource.id, action.name]);

  const ready = from && to && lines.every((l) => l.product && Number(l.quantity) > 0);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const transfer = {
      fromLocationId: Number(from.value),
      toLocationId: Number(to.value),
      items: lines.map((l) => ({ productId: Number(l.product.value), quantity: Number(l.quantity) })),
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(notes.trim() ? { notes: notes.trim() } : {}),
    };
    const data = new FormData();
    data.set('transfer', JSON.stringify(transfer));
    try {
      handleResponse(await call(data));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="transfer-form">
      <H4>New transfer</H4>
      <Text mb="xl">A draft moves nothing; the goods leave the source when it ships and arrive when it is received.</Text>
      <Box flex flexDirection="row">
        <Box flexGrow={1} mr="lg">
          <LocationSelect label="From" testId="transfer-from" value={from} options={locations} onChange={setFrom} />
        </Box>
        <Box flexGrow={1}>
          <LocationSelect label="To" testId="transfer-to" value={to} options={locations} onChange={setTo} />
        </Box>
      </Box>
      <ProductLines products={products} lines={lines} setLines={setLines} testId="transfer-form-line" />
      <FormGroup>
        <Label htmlFor="reference">Reference</Label>
        <Input id="reference" value={reference} maxLength={80} onChange={(e) => setReference(e.target.value)} />
      </FormGroup>
      <FormGroup>
        <Label htmlFor="notes">Notes</Label>
        <TextArea id="notes" width="100%" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !ready}>
        Create transfer
      </Button>
    </Box>
  );
};

export default TransferForm;
