import React, { useEffect, useState } from 'react';
import { Box, Button, FormGroup, H4, Input, Label, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';
import LocationSelect, { locationOptions, preselected } from './location-select';
import ProductLines, { emptyLine } from './product-lines';

const api = new ApiClient();

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
      <ProductLines products={products} lines={lines} setLines={setLines} testId="sale-line" />
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
