import { mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type RequestHandler } from 'express';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type BucketLocationConstraint,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { getConfig, type Config, type StorageConfig } from '../config/index.js';
import { AppError } from './errors.js';
import { logger } from './logger.js';

/**
 * Where stored files (product images) live, behind one small interface that
 * every door uses: the REST upload, the panel's upload provider, replacing
 * and deleting, and serving them at `/uploads/<name>`. `STORAGE=disk` (the
 * default) keeps them in UPLOAD_DIR; `STORAGE=s3` in a bucket of any
 * S3-compatible store, so every instance behind a load balancer sees the same
 * files. Names are plain file names (no folders).
 */
export interface FileStore {
  readonly kind: StorageConfig['kind'];
  /** Stores `data` under `name` with its MIME type. */
  put(name: string, data: Buffer, contentType: string): Promise<void>;
  /** Removes `name`; a name that is not stored is fine. */
  remove(name: string): Promise<void>;
  /**
   * Serves `GET /uploads/<name>`: the bytes as stored, their Content-Type,
   * cache headers (7 days, ETag, Last-Modified), and 404 in the API's error
   * shape for a name that is not stored.
   */
  serve(): RequestHandler;
  /** Makes sure the folder or bucket exists (a store creates its bucket when missing). */
  prepare(): Promise<void>;
  close(): void;
}

/** How long browsers and proxies may keep a stored file: names are never reused, a new image gets a new name. */
const MAX_AGE_SECONDS = 7 * 24 * 3600;

const storeUnavailable = () => new AppError('STORAGE_UNAVAILABLE', 'The file store is unavailable; please try again shortly', 503);

function diskStore(dir: string): FileStore {
  return {
    kind: 'disk',
    async put(name, data) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, name), data, { flag: 'wx' });
    },
    async remove(name) {
      try {
        await unlink(path.join(dir, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
    serve: () => express.static(dir, { fallthrough: false, index: false, maxAge: MAX_AGE_SECONDS * 1000 }),
    // The folder is made by the first upload.
    prepare: async () => undefined,
    close() {},
  };
}

function statusOf(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

const isMissing = (err: unknown) =>
  statusOf(err) === 404 || (err instanceof S3ServiceException && ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes(err.name));

/** A plain stored name from the request path (`/product-ab12.png`), or undefined for anything else. */
function storedName(requestPath: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(requestPath.slice(1));
  } catch {
    return undefined;
  }
  return /^[\w][\w.-]{0,200}$/.test(name) ? name : undefined;
}

export function s3Store(config: Extract<StorageConfig, { kind: 's3' }>): FileStore {
  const client = new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials,
    // Some S3-compatible servers reject or store garbled (aws-chunked) bodies when the SDK adds its default checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  let bucketReady: Promise<void> | undefined;

  /** HEAD the bucket once; create it when missing (another instance creating it at the same moment is fine). */
  const ensureBucket = () => {
    bucketReady ??= (async () => {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return;
      } catch (err) {
        if (!isMissing(err)) throw err;
      }
      try {
        await client.send(
          new CreateBucketCommand({
            Bucket,
            ...(config.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: config.region as BucketLocationConstraint } }),
          }),
        );
        logger().info({ bucket: Bucket }, 'object store bucket created');
      } catch (err) {
        if (!(err instanceof S3ServiceException && ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(err.name))) throw err;
      }
    })().catch((err: unknown) => {
      bucketReady = undefined;
      throw err;
    });
    return bucketReady;
  };

  /** An object store failure is the store's, not the client's: 503, logged. */
  const failed = (err: unknown, action: string, name?: string): never => {
    logger().warn({ err: (err as Error).message, bucket: Bucket, name, action }, 'object store request failed');
    throw storeUnavailable();
  };

  const serve: RequestHandler = async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      next(new AppError('BAD_REQUEST', 'Method not allowed', 405));
      return;
    }
    const name = storedName(req.path);
    if (!name) {
      next(new AppError('NOT_FOUND', 'Not found', 404));
      return;
    }
    let object: GetObjectCommandOutput;
    try {
      object = await client.send(
        new GetObjectCommand({
          Bucket,
          Key: name,
          IfNoneMatch: req.get('if-none-match'),
          IfModifiedSince: req.get('if-modified-since') && !req.get('if-none-match') ? new Date(req.get('if-modified-since')!) : undefined,
        }),
      );
    } catch (err) {
      if (statusOf(err) === 304) {
        res.setHeader('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
        res.status(304).end();
        return;
      }
      if (isMissing(err)) next(new AppError('NOT_FOUND', 'Not found', 404));
      else next(storeUnavailable());
      if (!isMissing(err)) logger().warn({ err: (err as Error).message, bucket: Bucket, name }, 'object store read failed');
      return;
    }
    const body = object.Body as Readable;
    res.status(200);
    if (object.ContentType) res.setHeader('Content-Type', object.ContentType);
    else res.type(path.extname(name));
    if (object.ContentLength !== undefined) res.setHeader('Content-Length', String(object.ContentLength));
    if (object.ETag) res.setHeader('ETag', object.ETag);
    if (object.LastModified) res.setHeader('Last-Modified', object.LastModified.toUTCString());
    res.setHeader('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    if (req.method === 'HEAD') {
      body.destroy();
      res.end();
      return;
    }
    try {
      await pipeline(body, res);
    } catch (err) {
      // Headers are gone: the connection is cut so the client sees a short body, never a wrong one.
      logger().warn({ err: (err as Error).message, bucket: Bucket, name }, 'object store stream failed');
      res.destroy();
    }
  };

  return {
    kind: 's3',
    async put(name, data, contentType) {
      try {
        await ensureBucket();
        await client.send(new PutObjectCommand({ Bucket, Key: name, Body: data, ContentType: contentType, ContentLength: data.length }));
      } catch (err) {
        failed(err, 'put', name);
      }
    },
    async remove(name) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket, Key: name }));
      } catch (err) {
        if (!isMissing(err)) failed(err, 'delete', name);
      }
    },
    serve: () => serve,
    prepare: () => ensureBucket(),
    close: () => client.destroy(),
  };
}

let current: { config: Readonly<Config>; store: FileStore } | undefined;

/** The file store of the current configuration, made on first use. */
export function fileStore(): FileStore {
  const config = getConfig();
  if (current?.config !== config) {
    current?.store.close();
    current = { config, store: config.storage.kind === 's3' ? s3Store(config.storage) : diskStore(config.uploadDir) };
  }
  return current.store;
}

export function closeFileStore(): void {
  current?.store.close();
  current = undefined;
}
