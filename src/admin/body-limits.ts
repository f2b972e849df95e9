import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { FormidableOptions } from '@adminjs/express';
import { getConfig } from '../config/index.js';
import { errorHandler } from '../http/error-handler.js';
import { MAX_IMAGE_BYTES } from '../modules/products/product-image.js';

const MB = 1024 * 1024;

/**
 * What the panel's form parser (express-formidable, 200 MB by default)
 * accepts: files a little over the 5 MB image rule, so a slightly larger
 * image still reaches the rule and its own message, and 1 MB of form fields.
 */
export const PANEL_LIMITS = {
  fileBytes: MAX_IMAGE_BYTES + MB,
  fieldBytes: MB,
  /** A whole request: files plus fields plus multipart framing. */
  bodyBytes: MAX_IMAGE_BYTES + 2 * MB + 64 * 1024,
} as const;

const TOO_LARGE = `The upload is too large: product images may be at most ${MAX_IMAGE_BYTES / MB} MB. Nothing was saved.`;

/** Uploads wait in DATA_DIR/panel-uploads until the action stores or drops them. */
export function panelFormidableOptions(): FormidableOptions {
  const uploadDir = path.resolve(getConfig().dataDir, 'panel-uploads');
  mkdirSync(uploadDir, { recursive: true });
  return { uploadDir, maxFileSize: PANEL_LIMITS.fileBytes, maxFieldsSize: PANEL_LIMITS.fieldBytes };
}

function tooLarge(res: Parameters<RequestHandler>[1]): void {
  res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: TOO_LARGE }, notice: { message: TOO_LARGE, type: 'error' } });
}

/**
 * Runs before the session and the parser: a body announced larger than the
 * panel takes is refused at once, before a byte of it is read. A body of no
 * announced length (chunked) is left to the parser's own limits.
 */
export const refuseLargeBodies: RequestHandler = (req, res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > PANEL_LIMITS.bodyBytes) tooLarge(res);
  else next();
};

const PARSER_LIMIT = /^(maxFileSize|maxFieldsSize|maxFields) exceeded/;
/** formidable's words for a body it cannot read: cut short, no or a wrong boundary, a broken part. The client's fault: 400. */
const UNREADABLE_FORM = /^(MultipartParser\.end\(\)|bad content-type header|parser error|Request aborted|unknown transfer-encoding|did not expect data)/;
const UNREADABLE = 'The form could not be read (the upload was cut short or malformed). Nothing was saved; please try again.';

/**
 * The panel's error handlers, after its routes. express-formidable reports a
 * parser error twice (next(err) from two listeners): the first report gets
 * the answer (413 with the message when a limit was hit, 400 when the body
 * cannot be read, the API's error handler otherwise); the second, the same error object, stops here. Passed
 * on, Express's last resort would destroy the connection under the answer.
 * An error after the headers went out (a broken download) is not answered
 * here and goes on as before.
 */
export const panelErrorHandlers: ErrorRequestHandler[] = [
  (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    res.locals.answeredError = err;
    if (err instanceof Error && PARSER_LIMIT.test(err.message)) tooLarge(res);
    else if (err instanceof Error && UNREADABLE_FORM.test(err.message)) res.status(400).json({ error: { code: 'BAD_REQUEST', message: UNREADABLE }, notice: { message: UNREADABLE, type: 'error' } });
    else errorHandler(err, req, res, next);
  },
  (err, _req, res, next) => {
    if (res.locals.answeredError !== err) next(err);
  },
];
