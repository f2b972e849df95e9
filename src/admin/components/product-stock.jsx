import React from 'react';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

/** A product's stock by location and in transit (the show action attaches productStock() as JSON in `stockByLocation`). */
const ProductStock = ({ record }) => {
  let stock = null;
  try {
    stock = JSON.parse(record.params.stockByLocation || 'null');
  } catch {
    stock = null;
  }
  if (!stock) return null;
  return (
    <Box mb="xl" data-testid="product-stock">
      <Label>Stock by location</Label>
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Location</TableCell>
            <TableCell>Quantity</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {stock.locations.map((l) => (
            <TableRow key={l.locationId} data-testid="product-stock-row" data-code={l.code}>
              <TableCell><a href={`/admin/resources/locations/records/${l.locationId}/show`}>{l.name} ({l.code})</a></TableCell>
              <TableCell data-testid={`stock-at-${l.code}`}>{l.quantity}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text mt="default">
        On hand: <strong data-testid="stock-on-hand">{stock.total}</strong> · In transit: <strong data-testid="stock-in-transit">{stock.inTransit}</strong>
      </Text>
    </Box>
  );
};

export default ProductStock;
