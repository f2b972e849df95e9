import React, { useEffect, useState } from 'react';
import { DropZone, DropZoneItem, FormGroup, FormMessage, Label } from '@adminjs/design-system';
import { flat, useTranslation } from 'adminjs';

/**
 * The upload feature's edit field with its texts spelled out: the drop zone
 * fills its own {{placeholders}} through lodash.template, which needs eval,
 * and the panel's CSP rightly forbids eval. The rest is the feature's own
 * behaviour: choose (checked for type and size here, by content on the
 * server), see the current image, or remove it.
 */
const ImageUpload = ({ property, record, onChange }) => {
  const { translateProperty } = useTranslation();
  const { custom } = property;
  const key = flat.get(record.params, custom.keyProperty);
  const path = flat.get(record.params, custom.filePathProperty);
  const chosen = flat.get(record.params, custom.fileProperty);
  const [files, setFiles] = useState([]);
  useEffect(() => setFiles([]), [key]);

  const limit = `${Math.round(custom.maxSize / (1024 * 1024))} MB`;
  const types = custom.mimeTypes.map((type) => type.replace('image/', '').toUpperCase()).join(', ');
  const error = record.errors?.[custom.fileProperty];
  const choose = (list) => {
    setFiles(list);
    onChange(custom.fileProperty, list);
  };

  return (
    <FormGroup error={Boolean(error)} data-testid="image-upload">
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <DropZone
        files={files}
        onChange={choose}
        validate={{ mimeTypes: custom.mimeTypes, maxSize: custom.maxSize }}
        translations={{
          acceptedSize: `Max size: ${limit}`,
          acceptedType: `Supports: ${types}`,
          unsupportedSize: `This file is larger than ${limit}`,
          unsupportedType: `Only ${types} images are accepted`,
        }}
      />
      {key && path && !files.length && chosen !== null && <DropZoneItem filename={key} src={path} onRemove={() => onChange(custom.fileProperty, null)} />}
      <FormMessage>{error?.message}</FormMessage>
    </FormGroup>
  );
};

export default ImageUpload;
