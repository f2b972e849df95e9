import { open, unlink } from 'node:fs/promises';
import type { ActionHandler, RecordActionResponse } from 'adminjs';
import { actorId, requestIp } from '../../../src/admin/access.js';
import { MAX_IMAGE_BYTES } from '../../../src/modules/products/product-image.js';
import { setProductImage } from '../../../src/modules/products/product.service.js';
import { failed } from '../../stock-actions/handlers/notice.js';

/** express-formidable's file object (formidable 1.x): the upload sits in a temp file. */
interface UploadedFile {
  path: string;
  size?: number;
}

function uploadedFile(value: unknown): UploadedFile | undefined {
  return value && typeof value === 'object' && typeof (value as UploadedFile).path === 'string' ? (value as UploadedFile) : undefined;
}

/**
 * Reads at most one byte past the limit: the products service still decides
 * (its 5 MB and sniffed-type rules), without a huge upload landing in memory.
 */
async function readUpload(file: UploadedFile | undefined): Promise<Buffer | undefined> {
  if (!file) return undefined;
  const handle = await open(file.path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Upload image: GET shows the form, POST hands the file's bytes to the products service. */
export const uploadImageHandler: ActionHandler<RecordActionResponse> = async (request, _response, context) => {
  const { record, currentAdmin, h, resource } = context;
  if (request.method !== 'post') return { record: record!.toJSON(currentAdmin) };
  const file = uploadedFile(request.payload?.image);
  try {
    const product = await setProductImage(Number(record!.id()), await readUpload(file), { id: actorId(currentAdmin), ip: requestIp(request) });
    const fresh = await resource.findOne(record!.id());
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: record!.id(), actionName: 'show' }),
      notice: { message: `Image saved for ${product.name}`, type: 'success' },
    };
  } catch (err) {
    return failed(context, err);
  } finally {
    if (file) await unlink(file.path).catch(() => undefined);
  }
};
