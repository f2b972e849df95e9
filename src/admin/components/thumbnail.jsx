import React from 'react';
import { Box, Text } from '@adminjs/design-system';

/** Product image thumbnail for the list (small) and the show page (larger). */
const Thumbnail = ({ record, where }) => {
  const image = record?.params?.image;
  const size = where === 'show' ? 160 : 40;
  const frame = { width: size, height: size, objectFit: 'cover', borderRadius: 4, border: '1px solid #e5e7eb', background: '#f8fafc' };
  if (!image) {
    return where === 'show' ? <Text color="grey60">No image</Text> : <Box style={{ ...frame, display: 'inline-block' }} />;
  }
  return <img src={`/uploads/${encodeURIComponent(image)}`} alt={record.params.name ?? 'product image'} style={frame} loading="lazy" />;
};

export default Thumbnail;
