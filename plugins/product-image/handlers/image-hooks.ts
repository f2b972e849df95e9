import { unlink } from 'node:fs/promises';
import { flat, ValidationError, type ActionContext, type ActionRequest, type After, type RecordActionResponse, type UploadedFile } from 'adminjs';
import { productImageExtension, productImageName } from '../../../src/modules/products/product-image.js';
import { errorMessage } from '../../../src/admin/notice.js';
import { readUpload } from './image-provider.js';

import { IMAGE } from '../../../src/admin/product-image-fields.js';

/** Where the parser's temp file waits in the action context until it is removed. */
const INCOMING = 'incomingImage';

function isUploadedFile(value: unknown): value is UploadedFile {
  return !!value && typeof value === 'object' && typeof (value as UploadedFile).path === 'string';
}

/**
 * The form sends the drop zone's files as a list (`imageFile.0`). The parser's
 * own file object is returned, not a copy (flat.get copies), so renaming it
 * reaches the upload feature.
 */
function uploadedFile(payload: Record<string, unknown>): UploadedFile | undefined {
  return Object.entries(payload)
    .filter(([key]) => key === IMAGE.file || key.startsWith(`${IMAGE.file}.`))
    .flatMap(([, value]) => value)
    .find(isUploadedFile);
}

async function discard(file: UploadedFile | undefined): Promise<void> {
  if (file) await unlink(file.path).catch(() => undefined);
}

/**
 * Before new/edit: the stored key is never taken from a form, and an uploaded
 * file must pass the REST rules by its content before anything is saved. A
 * good file gets the name REST would give it (random, sniffed extension),
 * which uploadPath keeps as the key.
 */
export async function checkImage(request: ActionRequest, context: ActionContext): Promise<ActionRequest> {
  if (request.method !== 'post' || !request.payload) return request;
  const payload = flat.filterOutParams(request.payload, [IMAGE.key, IMAGE.filePath]);
  const file = uploadedFile(payload);
  if (file && !context.action.isAccessible(context.currentAdmin, context.record)) {
    // AdminJS checks access after the before hooks: a refused caller's file is dropped unread.
    await discard(file);
    return { ...request, payload };
  }
  if (file) {
    context[INCOMING] = file;
    try {
      file.name = productImageName(await productImageExtension(await readUpload(file)));
    } catch (err) {
      await discard(file);
      const message = errorMessage(err);
      throw new ValidationError({ [IMAGE.file]: { message } }, { message });
    }
  }
  return { ...request, payload };
}

/**
 * @adminjs/upload saves the new key with `record.update(params)`, without the
 * action context, so the resource would not know who changed the
 * image. Until the action ends, the record's updates carry this context: the
 * image change and its audit row (actor, address) commit together, through the products service.
 */
export const keepActionContext: After<RecordActionResponse> = async (response, _request, context) => {
  const { record } = context;
  if (record) {
    const update = record.update.bind(record);
    record.update = (params, ctx) => update(params, ctx ?? context);
  }
  return response;
};

/** After the upload: the parser's temp file is not kept (stored, refused or never used because the form had errors). */
export const discardIncoming: After<RecordActionResponse> = async (response, _request, context) => {
  await discard(context[INCOMING]);
  return response;
};
