import React, { useState } from 'react';
import { Box, Button, FormGroup, H4, Label, Text } from '@adminjs/design-system';
import { ApiClient, useActionResponseHandler } from 'adminjs';

const api = new ApiClient();
const ACCEPT = 'image/jpeg,image/png,image/webp,image/gif';

/** Upload image: one file sent as multipart field `image` to the uploadImage record action. */
const UploadImage = ({ resource, action, record }) => {
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const handleResponse = useActionResponseHandler();
  const { name, sku, image } = record.params;

  const submit = async (event) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    const data = new FormData();
    data.set('image', file);
    try {
      const response = await api.recordAction({ resourceId: resource.id, recordId: record.id, actionName: action.name, data });
      handleResponse(response);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" onSubmit={submit} variant="container" data-testid="upload-image-form">
      <H4>{name} ({sku})</H4>
      <Text mb="xl">
        {image ? 'Choosing a new file replaces the current image. ' : ''}JPEG, PNG, WebP or GIF, up to 5 MB.
      </Text>
      <FormGroup>
        <Label required htmlFor="image">Image file</Label>
        <input id="image" name="image" type="file" accept={ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !file}>
        Upload image
      </Button>
    </Box>
  );
};

export default UploadImage;
