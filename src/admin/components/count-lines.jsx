import React from 'react';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';

const money = (n) => (n === null || n === undefined ? '' : Number(n).toFixed(2));
const dash = (n) => (n === null || n === undefined ? '–' : n);

/** A count's lines as the reader may see them (the show action attaches them as JSON in `countLines`); variances by value once submitted. */
const CountLines = ({ record }) => {
  let count = { lines: [], totals: {}, status: '' };
  try {
    count = JSON.parse(record.params.countLines || '{"lines":[],"totals":{}}');
  } catch {
    count = { lines: [], totals: {}, status: '' };
  }
  const reviewed = count.status === 'review' || count.status === 'posted';
  const lines = reviewed ? [...count.lines].sort((a, b) => Math.abs(b.varianceValue ?? 0) - Math.abs(a.varianceValue ?? 0)) : count.lines;
  const { totals } = count;
  return (
    <Box mb="xl" data-testid="count-lines">
      <Label>Lines</Label>
      <Text mb="default" data-testid="count-totals">
        {totals.counted} of {totals.lines} counted{reviewed ? ` · variance ${totals.varianceUnits} unit(s), ${money(totals.varianceValue)} at cost` : ''}
      </Text>
      <Table>
        <TableHead>
          <TableRow>
            <TableCell>Product</TableCell>
            <TableCell>Category</TableCell>
            <TableCell>Expected</TableCell>
            <TableCell>Counted</TableCell>
            {reviewed ? <TableCell>Moved since</TableCell> : null}
            {reviewed ? <TableCell>Variance</TableCell> : null}
            {reviewed ? <TableCell>Value</TableCell> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line) => (
            <TableRow key={line.productId} data-testid="count-line">
              <TableCell>{line.name} ({line.sku})</TableCell>
              <TableCell>{line.category}</TableCell>
              <TableCell>{dash(line.expected)}</TableCell>
              <TableCell>{dash(line.counted)}</TableCell>
              {reviewed ? <TableCell>{dash(line.movementsSince)}</TableCell> : null}
              {reviewed ? <TableCell>{line.counted === null ? 'uncounted' : line.variance}</TableCell> : null}
              {reviewed ? <TableCell>{money(line.varianceValue)}</TableCell> : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
};

export default CountLines;
