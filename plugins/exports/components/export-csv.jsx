import React, { useEffect, useMemo } from 'react';
import { Box, Button, H4, Text } from '@adminjs/design-system';
import { useLocation } from 'react-router';

/** Starts the CSV download of the list as currently filtered and sorted (the drawer keeps the list's query). */
const ExportCsv = ({ resource }) => {
  const location = useLocation();
  const { href, filters } = useMemo(() => {
    const params = new URLSearchParams(location.search);
    const kept = new URLSearchParams();
    const applied = [];
    for (const [key, value] of params.entries()) {
      if (key.startsWith('filters.')) {
        kept.set(key, value);
        applied.push(`${key.slice('filters.'.length)} = ${value}`);
      }
      if (key === 'sortBy' || key === 'direction') kept.set(key, value);
    }
    const query = kept.toString();
    return { href: `/admin/exports/${resource.id}${query ? `?${query}` : ''}`, filters: applied };
  }, [location.search, resource.id]);

  useEffect(() => {
    window.location.assign(href);
  }, [href]);

  return (
    <Box variant="container" data-testid="export-csv">
      <H4>Exporting {resource.name}</H4>
      <Text mb="lg">{filters.length ? `Filters: ${filters.join(', ')}` : 'All records (no filters).'} Your download has started.</Text>
      <Button as="a" href={href} variant="outlined">Download again</Button>
    </Box>
  );
};

export default ExportCsv;
