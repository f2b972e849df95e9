import { open } from 'node:fs/promises';
import { BaseProvider } from '@adminjs/upload';
import type { UploadedFile } from 'adminjs';
import { getConfig } from '../../../src/config/index.js';
import { imageUrlOf, MAX_IMAGE_BYTES, removeProductImage, storeProductImage } from '../../../src/modules/products/product-image.js';

/**
 * Reads at most one byte past the image limit: the size rule still decides,
 * without a large upload landing in memory.
 */
export async function readUpload(file: UploadedFile): Promise<Buffer> {
  const handle = await open(file.path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * @adminjs/upload storage for product images: the files REST stores, in the
 * file store (UPLOAD_DIR, or the S3 bucket with STORAGE=s3) under plain
 * names, served at /uploads/<name>. Unlike the stock LocalProvider it writes
 * through the products module, which checks the content again, and copies
 * instead of renaming (the parser's temp folder may be on another file
 * system). Unlike the stock AWSProvider it keeps images at /uploads/<name>
 * (no signed URLs of the store) on every instance.
 */
export class ProductImageProvider extends BaseProvider {
  constructor() {
    const { storage, uploadDir } = getConfig();
    super(storage.kind === 's3' ? storage.bucket : uploadDir);
  }

  override async upload(file: UploadedFile, key: string): Promise<void> {
    await storeProductImage(await readUpload(file), key);
  }

  override async delete(key: string): Promise<void> {
    await removeProductImage(key);
  }

  override path(key: string): string {
    return imageUrlOf(key) ?? '';
  }
}
