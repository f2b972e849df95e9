import uploadFeature from '@adminjs/upload';
import { buildFeature, type FeatureType } from 'adminjs';
import { component, componentLoader } from '../../src/admin/component-loader.js';
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES } from '../../src/modules/products/product-image.js';
import { IMAGE } from '../../src/admin/product-image-fields.js';
import { checkImage, discardIncoming, keepActionContext } from './handlers/image-hooks.js';
import { ProductImageProvider } from './handlers/image-provider.js';

const ImageUpload = component('ImageUpload', 'plugins/product-image/components/image-upload');

/**
 * Product images through @adminjs/upload, under the rules of
 * `POST /api/products/:id/image`: JPEG, PNG, WebP or GIF by content, 5 MB at
 * most, stored in UPLOAD_DIR under a random plain name kept in
 * `products.image`. The form's drop zone checks the declared type and size;
 * the server checks the content before the record is saved and again when
 * the file is stored. The old file goes once the new key is committed.
 */
export function productImageFeature(): FeatureType {
  const guard = buildFeature({
    actions: {
      new: { before: checkImage, after: keepActionContext },
      edit: { before: checkImage, after: keepActionContext },
    },
  });
  const upload = uploadFeature({
    componentLoader,
    provider: new ProductImageProvider(),
    properties: IMAGE,
    uploadPath: (_record, filename) => filename,
    validation: { mimeTypes: IMAGE_MIME_TYPES, maxSize: MAX_IMAGE_BYTES },
  });
  const cleanup = buildFeature({ actions: { new: { after: discardIncoming }, edit: { after: discardIncoming } } });
  // Last, so the form's drop zone is ours (texts without templates, which the panel's CSP forbids).
  const field = buildFeature({
    properties: { [IMAGE.file]: { isVisible: { list: false, show: false, edit: true, filter: false }, components: { edit: ImageUpload } } },
  });
  return (admin, options) => field(admin, cleanup(admin, upload(admin, guard(admin, options))));
}
