import React, { useEffect, useState } from 'react';
import { Box, H2, H5, Loader, MessageBox, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@adminjs/design-system';
import { ApiClient } from 'adminjs';

const api = new ApiClient();
const productUrl = (id) => `/admin/resources/products/records/${id}/show`;

const Card = ({ label, value, hint, testId }) => (
  <Box variant="card" p="lg" mr="lg" mb="lg" style={{ minWidth: 170, flex: '1 1 170px' }} data-testid={testId}>
    <Text color="grey60" fontSize="sm">{label}</Text>
    <Text fontSize="h3" fontWeight="bold" mt="sm">{value}</Text>
    {hint ? <Text color="grey60" fontSize="sm">{hint}</Text> : null}
  </Box>
);

/** Monthly revenue as plain SVG bars (no chart library in the bundle). */
const SalesChart = ({ months, money }) => {
  const width = 640;
  const height = 220;
  const pad = { top: 16, right: 8, bottom: 36, left: 8 };
  const max = Math.max(1, ...months.map((m) => m.revenue));
  const slot = (width - pad.left - pad.right) / Math.max(1, months.length);
  const barHeight = (v) => ((height - pad.top - pad.bottom) * v) / max;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label="Monthly sales chart" data-testid="sales-chart">
      {months.map((m, i) => {
        const h = barHeight(m.revenue);
        const x = pad.left + i * slot + slot * 0.15;
        const y = height - pad.bottom - h;
        return (
          <g key={m.month}>
            <rect x={x} y={y} width={slot * 0.7} height={Math.max(h, 1)} rx="3" fill="#2b8a73">
              <title>{`${m.month}: ${money(m.revenue)} (${m.units} units)`}</title>
            </rect>
            <text x={x + slot * 0.35} y={y - 4} textAnchor="middle" fontSize="11" fill="#374151">{money(m.revenue, true)}</text>
            <text x={x + slot * 0.35} y={height - pad.bottom + 16} textAnchor="middle" fontSize="12" fill="#6b7280">{m.month}</text>
          </g>
        );
      })}
    </svg>
  );
};

const Section = ({ title, children, testId }) => (
  <Box variant="card" p="lg" mb="lg" mr="lg" style={{ flex: '1 1 380px' }} data-testid={testId}>
    <H5 mb="lg">{title}</H5>
    {children}
  </Box>
);

const Dashboard = () => {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api.getDashboard().then((res) => setData(res.data)).catch(() => setError('The dashboard figures could not be loaded.'));
  }, []);

  if (error) return <Box p="xl"><MessageBox variant="danger" message={error} /></Box>;
  if (!data) return <Box p="xl"><Loader /></Box>;
  if (!data.allowed) return <Box p="xl"><Text>Welcome to the back office.</Text></Box>;

  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: data.currency || 'USD' });
  const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  const money = (v, short) => (short ? compact.format(v) : format.format(v));
  const { stats, lowStock, alerts } = data;

  return (
    <Box p="xl" data-testid="dashboard">
      <H2 mb="xl">{data.companyName}</H2>
      <Box flex flexWrap="wrap">
        <Card testId="figure-sales" label="Sales this month" value={money(stats.salesThisMonth.revenue)} hint={`${stats.salesThisMonth.count} sales · ${stats.salesThisMonth.units} units`} />
        <Card testId="figure-purchases" label="Purchases this month" value={money(stats.purchasesThisMonth.cost)} hint={`${stats.purchasesThisMonth.count} orders`} />
        <Card testId="figure-stock-value" label="Stock value (cost)" value={money(stats.stockValue)} hint={`${stats.totalStockUnits} units`} />
        <Card testId="figure-products" label="Products" value={stats.totalProducts} />
        <Card testId="figure-low-stock" label="Low stock" value={stats.lowStockCount} hint={`${stats.outOfStockCount} out of stock`} />
      </Box>
      <Box flex flexWrap="wrap">
        <Section title="Sales per month" testId="monthly-sales">
          <SalesChart months={stats.monthlySales} money={money} />
        </Section>
        <Section title="Top products (last 30 days)" testId="top-products">
          <Table>
            <TableHead><TableRow><TableCell>Product</TableCell><TableCell>Units</TableCell><TableCell>Revenue</TableCell></TableRow></TableHead>
            <TableBody>
              {stats.topProducts.map((p) => (
                <TableRow key={p.productId}>
                  <TableCell><a href={productUrl(p.productId)}>{p.name}</a></TableCell>
                  <TableCell>{p.units}</TableCell>
                  <TableCell>{money(p.revenue)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {stats.topProducts.length === 0 ? <Text color="grey60">No sales in the last 30 days.</Text> : null}
        </Section>
      </Box>
      <Box flex flexWrap="wrap">
        <Section title="Stock by location" testId="stock-by-location">
          <Table>
            <TableHead><TableRow><TableCell>Location</TableCell><TableCell>Units</TableCell><TableCell>Value (cost)</TableCell></TableRow></TableHead>
            <TableBody>
              {stats.stockByLocation.map((l) => (
                <TableRow key={l.locationId}>
                  <TableCell><a href={`/admin/resources/locations/records/${l.locationId}/show`}>{l.name}</a> <Text as="span" color="grey60">({l.code})</Text></TableCell>
                  <TableCell>{l.units}</TableCell>
                  <TableCell>{money(l.value)}</TableCell>
                </TableRow>
              ))}
              {stats.inTransit.units > 0 ? (
                <TableRow>
                  <TableCell><a href="/admin/resources/transfers">In transit</a></TableCell>
                  <TableCell>{stats.inTransit.units}</TableCell>
                  <TableCell>{money(stats.inTransit.value)}</TableCell>
                </TableRow>
              ) : null}
            </TableBody>
          </Table>
        </Section>
        <Section title={`Low stock (${lowStock.total})`} testId="low-stock">
          {lowStock.items.length === 0 ? <Text color="grey60">Every product is above its threshold.</Text> : null}
          {lowStock.items.map((p) => (
            <Box key={p.id} flex justifyContent="space-between" py="sm" style={{ borderBottom: '1px solid #eef0f3' }}>
              <a href={productUrl(p.id)}>{p.name} <Text as="span" color="grey60">({p.sku})</Text></a>
              <Text as="span" fontWeight="bold" color={p.stock === 0 ? 'error' : 'grey80'}>{p.stock} / {p.threshold}</Text>
            </Box>
          ))}
        </Section>
        <Section title={`Open alerts (${alerts.total})`} testId="open-alerts">
          {alerts.items.length === 0 ? <Text color="grey60">No open alerts.</Text> : null}
          {alerts.items.map((a) => (
            <Box key={a.id} flex justifyContent="space-between" py="sm" style={{ borderBottom: '1px solid #eef0f3' }}>
              <a href={productUrl(a.productId)}>{a.productName}</a>
              <Text as="span" color="grey60">{a.status} · {a.stockAtAlert} left (threshold {a.threshold})</Text>
            </Box>
          ))}
        </Section>
      </Box>
    </Box>
  );
};

export default Dashboard;
