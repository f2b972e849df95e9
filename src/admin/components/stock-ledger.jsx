import React from 'react';
import { Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

/** The product's latest stock movements (the show action attaches them as JSON in `ledger`). */
const StockLedger = ({ record, property }) => {
  const { translateProperty } = useTranslation();
  let rows = [];
  try {
    rows = JSON.parse(record.params.ledger || '[]');
  } catch {
    rows = [];
  }
  const movementsUrl = `/admin/resources/stock_movements?filters.productId=${record.id}`;
  return (
    <Box mb="xl" data-testid="stock-ledger">
      <Label>{translateProperty(property.name, property.resourceId)}</Label>
      {rows.length === 0 ? (
        <Text color="grey60">No stock movements yet.</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Change</TableCell>
              <TableCell>Balance</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Reference</TableCell>
              <TableCell>Note</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.id} data-testid="ledger-row">
                <TableCell>{new Date(row.at).toLocaleString()}</TableCell>
                <TableCell style={{ color: row.delta < 0 ? '#b91c1c' : '#047857', fontWeight: 600 }}>{row.delta > 0 ? `+${row.delta}` : row.delta}</TableCell>
                <TableCell>{row.balanceAfter}</TableCell>
                <TableCell>{row.adjustmentReason ? `${row.reason} (${row.adjustmentReason})` : row.reason}</TableCell>
                <TableCell>{row.reference || ''}</TableCell>
                <TableCell>{row.note || ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text mt="default">
        <a href={movementsUrl}>All movements of this product</a>
      </Text>
    </Box>
  );
};

export default StockLedger;
