import React from 'react';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

/** A transfer's lines (the show action attaches them as JSON in `transferLines`). */
const TransferLines = ({ record }) => {
  let transfer = { lines: [], inTransit: 0 };
  try {
    transfer = JSON.parse(record.params.transferLines || '{"lines":[],"inTransit":0}');
  } catch {
    transfer = { lines: [], inTransit: 0 };
  }
  return (
    <Box mb="xl" data-testid="transfer-lines">
      <Label>Lines</Label>
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Product</TableCell>
            <TableCell>Quantity</TableCell>
            <TableCell>Shipped</TableCell>
            <TableCell>Received</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {transfer.lines.map((line) => (
            <TableRow key={line.productId} data-testid="transfer-line">
              <TableCell><a href={`/admin/resources/products/records/${line.productId}/show`}>{line.name} ({line.sku})</a></TableCell>
              <TableCell>{line.quantity}</TableCell>
              <TableCell>{line.shipped}</TableCell>
              <TableCell>{line.received}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text mt="default">In transit: <strong data-testid="transfer-in-transit">{transfer.inTransit}</strong></Text>
    </Box>
  );
};

export default TransferLines;
