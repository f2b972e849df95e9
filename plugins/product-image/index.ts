import { buildFeature, type FeatureType } from 'adminjs';
import { canWriteCatalog } from '../../src/admin/access.js';
import { Components } from '../../src/admin/component-loader.js';
import { uploadImageHandler } from './handlers/upload-image.js';

/** Product record action "Upload image": the same type and size rules as `POST /api/products/:id/image`. */
export function productImageFeature(): FeatureType {
  return buildFeature({
    actions: {
      uploadImage: {
        actionType: 'record',
        icon: 'Image',
        component: Components.UploadImage,
        isAccessible: canWriteCatalog,
        isVisible: canWriteCatalog,
        handler: uploadImageHandler,
      },
    },
  });
}
