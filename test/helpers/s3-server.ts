import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/**
 * An S3-compatible server of the test's own: s3rver, in this process, on a
 * free loopback port, keeping its buckets in a temp folder. It speaks the S3
 * REST API the v3 SDK uses (path-style addressing, signature v4 with the
 * credentials below), so the app under test talks to it exactly as to any
 * other S3-compatible store.
 *
 *   const s3 = await startS3Server();
 *   const app = await startTestApp(s3.env('my-bucket'));
 *   await s3.object('my-bucket', 'product-....png'); // the stored bytes, or undefined
 *   await s3.stop();
 */
export interface TestS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** The app's environment for STORAGE=s3 on this server, with `bucket` (which need not exist yet). */
  env(bucket: string): Record<string, string>;
  /** A client of its own (not the app's), to look at what the app stored. */
  client: S3Client;
  bucketExists(bucket: string): Promise<boolean>;
  /** The stored bytes of `key`, or undefined when it is not stored. */
  object(bucket: string, key: string): Promise<Buffer | undefined>;
  /** Every key in the bucket, sorted ([] when the bucket is missing). */
  keys(bucket: string): Promise<string[]>;
  /** Stops the server and removes its folder (again: nothing). */
  stop(): Promise<void>;
}

/** The only credentials s3rver accepts (it checks request signatures). */
const ACCESS_KEY = 'S3RVER';

const statusOf = (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export async function startS3Server(): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'stockpilot-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    env: (bucket) => ({ STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: ACCESS_KEY, S3_SECRET_ACCESS_KEY: ACCESS_KEY }),
    async bucketExists(bucket) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
      }
    },
    async object(bucket, key) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await got.Body!.transformToByteArray());
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },
    async keys(bucket) {
      try {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        return (listed.Contents ?? []).map((o) => o.Key!).sort();
      } catch (err) {
        if (statusOf(err) === 404) return [];
        throw err;
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
