import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import multer from 'multer';
import { getConfig } from '../../config/index.js';
import { AppError, badRequest } from '../../shared/errors.js';
import { logger } from '../../shared/logger.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Accepted image types by sniffed MIME type, with the extension the stored file gets. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** Multipart parser for `POST /products/:id/image`: one `image` field, kept in memory, 5 MB at most (413 beyond). */
export const imageUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 },
}).single('image');

export function imageUrlOf(image: string | null | undefined): string | null {
  return image ? `/uploads/${image}` : null;
}

/**
 * Checks an uploaded image by its content (never by name or declared type) and
 * stores it under the upload folder with a random name. Returns the stored
 * file name. Shared by the REST route and the AdminJS upload.
 */
export async function storeProductImage(buffer: Buffer | undefined): Promise<string> {
  if (!buffer || buffer.length === 0) {
    throw badRequest("An image file is required (multipart field 'image')", [{ path: 'image', message: 'required' }]);
  }
  if (buffer.length > MAX_IMAGE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'Image is larger than 5 MB', 413);
  const detected = await fileTypeFromBuffer(buffer);
  const extension = detected ? IMAGE_TYPES[detected.mime] : undefined;
  if (!extension) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Only JPEG, PNG, WebP and GIF images are accepted', 415, [
      { path: 'image', message: detected ? `content is ${detected.mime}` : 'content is not a recognised image' },
    ]);
  }
  const dir = getConfig().uploadDir;
  await mkdir(dir, { recursive: true });
  const name = `product-${randomBytes(16).toString('hex')}.${extension}`;
  await writeFile(path.join(dir, name), buffer, { flag: 'wx' });
  return name;
}

/** Removes a stored image; a missing file is fine. Only plain names inside the upload folder are touched. */
export async function removeProductImage(image: string | null | undefined): Promise<void> {
  if (!image || image !== path.basename(image)) return;
  try {
    await unlink(path.join(getConfig().uploadDir, image));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') logger().warn({ err: (err as Error).message, image }, 'could not remove image');
  }
}
