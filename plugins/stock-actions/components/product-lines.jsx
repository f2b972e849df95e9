import React from 'react';
import { Box, Button, Input, Label, Select } from '@adminjs/design-system';

export const emptyLine = () => ({ product: null, quantity: '1' });

/** Product lines (a searchable product and a quantity each), with Remove and Add line: the sale and transfer forms. */
const ProductLines = ({ products, lines, setLines, testId }) => {
  const update = (index, patch) => setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  return (
    <>
      {lines.map((line, index) => (
        <Box key={index} flex flexDirection="row" alignItems="flex-end" mb="lg" data-testid={testId}>
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
    </>
  );
};

export default ProductLines;
