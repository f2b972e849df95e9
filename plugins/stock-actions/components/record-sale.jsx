import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, H4, Input, Label, Select, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from './location-select';

const api = new ApiClient();
const emptyLine = () => ({ product: null, quantity: '1' });

/** Record sale: product lines (searchable) and an optional customer, sent to the sales service in one go. */
const RecordSale = ({ resource, action }) => {
  const [products, setProducts] = useState([]);
  const [lines, setLines] = useState([emptyLine()]);
  const [customerName, setCustomerName] = useState('');
  const [busy, setBusy] = useState(false);
  const [locations, setLocations] = useState([]);
  const [location, setLocation] = useState(null);
  const handleResponse = useActionResponseHandler();

  useEffect(() => {
    api.resourceAction({ resourceId: resource.id, actionName: action.name }).then(({ data }) => {
      const options = locationOptions(data.locations);
      setLocations(options);
      setLocation(preselected(options, data.locations));
    });
    api
      .resourceAction({ resourceId: 'products', actionName: 'list', params: { perPage: 500, sortBy: 'name', direction: 'asc' } })
      .then(({ data }) =>
        setProducts(
          (data.records || []).map((r) => ({ value: r.id, label: `${r.params.name} (${r.params.sku}) · ${r.params.stock} in stock · ${r.params.price}` })),
        ),
      );
  }, [resource.id, action.name]);

  const update = (index, patch) => setLines((current) => current.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const ready = lines.every((l) => l.product && Number(l.quantity) > 0);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    const sale = {
      items: lines.map((l) => ({ productId: Number(l.product.value), quantity: Number(l.quantity) })),
      ...(customerName.trim() ? { customerName: customerName.trim() } : {}),
      ...(location ? { locationId: Number(location.value) } : {}),
    };
    const data = new FormData();
    data.set('sale', JSON.stringify(sale));
    try {
      handleResponse(await api.resourceAction({ resourceId: resource.id, actionName: action.name, data }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="record-sale-form">
      <H4>Record a sale</H4>
      <Text mb="xl">Stock is taken from each product at the chosen location; if any line is short there, nothing is recorded.</Text>
      <LocationSelect label="Sold from" value={location} options={locations} onChange={setLocation} />
      {lines.map((line, index) => (
        <Box key={index} flex flexDirection="row" alignItems="flex-end" mb="lg" data-testid="sale-line">
          <Box flexGrow={1} mr="lg">
            <Label required>Product</Label>
            <Select value={line.product} options={products} onChange={(product) => update(index, { product })} />
          </Box>
          <Box width={120} mr="lg">
            <Label required>Quantity</Label>
            <Input type="number" min="1" step="1" value={line.quantity} onChange={(e) => update(index, { quantity: e.target.value })} />
          </Box>
          <Button type="button" variant="text" disabled={lines.length === 1} onClick={() => setLines(lines.filter((_, i) => i !== index))}>
            Remove
          </Button>
        </Box>
      ))}
      <Button type="button" variant="outlined" mb="xl" onClick={() => setLines([...lines, emptyLine()])}>
        Add line
      </Button>
      <FormGroup>
        <Label htmlFor="customerName">Customer name</Label>
        <Input id="customerName" value={customerName} onChange={(e) => setCustomerName(e.target.value)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !ready}>
        Record sale
      </Button>
    </Box>
  );
};

export default RecordSale;
