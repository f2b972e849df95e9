import React, { useEffect } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';

/** Starts the invoice download once and offers a link to fetch it again. */
const InvoiceDownload = ({ record }) => {
  const href = `/admin/invoices/${encodeURIComponent(record.id)}`;
  useEffect(() => {
    window.location.assign(href);
  }, [href]);
  return (
    <Box variant="container" data-testid="invoice-download">
      <H4>Invoice {record.params.invoiceNumber}</H4>
      <Text mb="lg">Your download has started.</Text>
      <Button as="a" href={href} variant="outlined">Download again</Button>
    </Box>
  );
};

export default InvoiceDownload;
