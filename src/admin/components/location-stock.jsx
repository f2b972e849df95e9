import React from 'react';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

/** What a location holds (the show action attaches it as JSON in `stockHere`). */
const LocationStock = ({ record }) => {
  let stock = { rows: [], total: 0 };
  try {
    stock = JSON.parse(record.params.stockHere || '{"rows":[],"total":0}');
  } catch {
    stock = { rows: [], total: 0 };
  }
  return (
    <Box mb="xl" data-testid="location-stock">
      <Label>Stock held here</Label>
      {stock.rows.length === 0 ? (
        <Text color="grey60">No stock at this location.</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>SKU</TableCell>
              <TableCell>Product</TableCell>
              <TableCell>Category</TableCell>
              <TableCell>Quantity</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {stock.rows.map((row) => (
              <TableRow key={row.productId} data-testid="location-stock-row">
                <TableCell>{row.sku}</TableCell>
                <TableCell><a href={`/admin/resources/products/records/${row.productId}/show`}>{row.name}</a></TableCell>
                <TableCell>{row.category}</TableCell>
                <TableCell style={{ fontWeight: 600, color: row.quantity <= row.threshold ? '#b91c1c' : undefined }}>{row.quantity}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {stock.total > stock.rows.length ? <Text mt="default">Showing {stock.rows.length} of {stock.total} products.</Text> : null}
    </Box>
  );
};

export default LocationStock;
