import React from 'react';
import { Input, Table, TableBody, TableCell, TableHead, TableRow } from '@adminjs/design-system';

/**
 * One "receive now" quantity per line (at most what is open), for receiving a
 * purchase or a transfer: `expectedLabel` names the first figure (Ordered, Shipped).
 */
const ReceiveLines = ({ lines, setLines, expectedLabel, testId }) => (
  <Table mb="xl">
    <TableHead>
      <TableRow><TableCell>Product</TableCell><TableCell>{expectedLabel}</TableCell><TableCell>Received</TableCell><TableCell>Receive now</TableCell></TableRow>
    </TableHead>
    <TableBody>
      {lines.map((line, index) => (
        <TableRow key={line.productId} data-testid={testId}>
          <TableCell>{line.name} ({line.sku})</TableCell>
          <TableCell>{line.expected}</TableCell>
          <TableCell>{line.received}</TableCell>
          <TableCell>
            <Input type="number" min="0" max={line.open} step="1" value={line.quantity} disabled={line.open === 0}
              onChange={(e) => setLines(lines.map((l, i) => (i === index ? { ...l, quantity: e.target.value } : l)))} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);

/** The posted items: the lines with a positive quantity. */
export const receivedItems = (lines) => lines.filter((l) => Number(l.quantity) > 0).map((l) => ({ productId: l.productId, quantity: Number(l.quantity) }));

export default ReceiveLines;
