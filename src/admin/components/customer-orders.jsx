import React from 'react';
import { Badge, Box, Label, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

const STATUS_COLOURS = { pending: 'info', shipped: 'primary', delivered: 'success', cancelled: 'danger' };

/** The customer's latest orders (the show action attaches them as JSON in `orders`), each linked, plus the full filtered list. */
const CustomerOrders = ({ record, property }) => {
  const { translateProperty } = useTranslation();
  let orders = { total: 0, rows: [] };
  try {
    orders = JSON.parse(record.params.orders || '{"total":0,"rows":[]}');
  } catch {
    orders = { total: 0, rows: [] };
  }
  const allOrdersUrl = `/admin/resources/orders?filters.userId=${record.id}`;
  return (
    <Box mb="xl" data-testid="customer-orders">
      <Label>{translateProperty(property.name, property.resourceId)}</Label>
      {orders.rows.length === 0 ? (
        <Text color="grey60">No orders yet.</Text>
      ) : (
        <Table>
          <TableHead>
            <TableRow>
              <TableCell>Order</TableCell>
              <TableCell>Placed</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Total</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {orders.rows.map((order) => (
              <TableRow key={order.id} data-testid="customer-order-row">
                <TableCell>
                  <a href={`/admin/resources/orders/records/${order.id}/show`}>{order.orderNumber || `#${order.id}`}</a>
                </TableCell>
                <TableCell>{new Date(order.createdAt).toLocaleString()}</TableCell>
                <TableCell>
                  <Badge variant={STATUS_COLOURS[order.status] || 'default'} size="sm">{order.status}</Badge>
                </TableCell>
                <TableCell>{Number(order.total).toFixed(2)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text mt="default">
        <a href={allOrdersUrl} data-testid="customer-all-orders">
          {orders.total > orders.rows.length ? `All ${orders.total} orders of this customer` : 'Orders of this customer'}
        </a>
      </Text>
    </Box>
  );
};

export default CustomerOrders;
