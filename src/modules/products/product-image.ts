import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { RequestHandler } from 'express';
import multer, { MulterError } from 'multer';
import { fileStore } from '../../shared/file-store.js';
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

const parseImage = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 5 },
}).single('image');

/**
 * Multipart parser for `POST /products/:id/image`: one `image` field, kept in
 * memory, 5 MB at most (413 beyond). A body busboy cannot read (cut short,
 * no boundary, a broken part header) is the client's fault: 400, not 500.
 */
export const imageUpload: RequestHandler = (req, res, next) => {
  parseImage(req, res, (err?: unknown) => {
    if (!err || err instanceof MulterError || err instanceof AppError) next(err);
    else next(badRequest(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`, [{ path: 'image', message: 'unreadable upload' }]));
  });
};

export function imageUrlOf(image: string | null | undefined): string | null {
  return image ? `/uploads/${image}` : null;
}

/** The types the upload accepts, as browsers declare them (the content is still sniffed). */
export const IMAGE_MIME_TYPES = Object.keys(IMAGE_TYPES);

/** The MIME type a stored image is served with, by its extension. */
const MIME_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(IMAGE_TYPES).map(([mime, extension]) => [extension, mime]));

/**
 * Checks an uploaded image by its content (never by name or declared type):
 * present, at most 5 MB, a JPEG, PNG, WebP or GIF. Returns the extension its
 * stored file gets.
 */
export async function productImageExtension(buffer: Buffer | undefined): Promise<string> {
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
  return extension;
}

/** A fresh random file name for a stored image: `product-<32 hex>.<extension>`. */
export function productImageName(extension: string): string {
  return `product-${randomBytes(16).toString('hex')}.${extension}`;
}

/**
 * Checks an uploaded image by its content and stores it in the file store
 * (UPLOAD_DIR or the S3 bucket), as `name` (a plain file name whose extension
 * matches the content, as productImageName gives) or under a fresh random
 * name. Returns the stored file name. Shared by the REST route and the
 * AdminJS upload.
 */
export async function storeProductImage(buffer: Buffer | undefined, name?: string): Promise<string> {
  const extension = await productImageExtension(buffer);
  const stored = name ?? productImageName(extension);
  if (stored !== path.basename(stored) || path.extname(stored) !== `.${extension}`) {
    throw badRequest(`Image file name '${stored}' does not match its content`, [{ path: 'image', message: 'bad file name' }]);
  }
  await fileStore().put(stored, buffer!, MIME_OF[extension]);
  return stored;
}

/** Removes a stored image; a missing one is fine. Only plain names are touched. */
export async function removeProductImage(image: string | null | undefined): Promise<void> {
  if (!image || image !== path.basename(image)) return;
  try {
    await fileStore().remove(image);
  } catch (err) {
    logger().warn({ err: (err as Error).message, image }, 'could not remove image');
  }
}
