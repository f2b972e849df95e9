import React from 'react';
import { Box, Text, ValueGroup } from '@adminjs/design-system';
import { useTranslation } from 'adminjs';

/**
 * Product image thumbnail for the list (small) and the show page (larger,
 * labelled like the other fields). The upload feature fills `imagePath` with
 * the image's URL under /uploads.
 */
const Thumbnail = ({ record, property, where }) => {
  const { translateProperty } = useTranslation();
  const src = record?.params?.imagePath;
  const size = where === 'show' ? 160 : 40;
  const frame = { width: size, height: size, objectFit: 'cover', borderRadius: 4, border: '1px solid #e5e7eb', background: '#f8fafc' };
  const image = src ? (
    <img src={src} alt={record.params.name ?? 'product image'} style={frame} loading="lazy" data-testid="product-thumbnail" />
  ) : null;
  if (where !== 'show') return image ?? <Box style={{ ...frame, display: 'inline-block' }} />;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{image ?? <Text color="grey60">No image</Text>}</ValueGroup>;
};

export default Thumbnail;
