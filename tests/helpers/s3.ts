import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

// s3rver ships no types: the little of it the tests use.
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer: Server;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

// s3rver's own account: it refuses any other access key.
const ACCESS_KEY = 'S3RVER';

/** A real S3-compatible server (s3rver) on a free port, keeping its objects in a temporary folder. */
export interface TestS3 {
  endpoint: string;
  /** Where s3rver keeps the objects: <dir>/<bucket>/<key>._S3rver_object. */
  dir: string;
  client: S3Client;
  /** The settings an app uses to keep its media in `bucket`. */
  env(bucket: string): Record<string, string>;
  createBucket(name: string): Promise<void>;
  /** Deletes every object of the bucket, then the bucket. */
  deleteBucket(name: string): Promise<void>;
  keys(bucket: string): Promise<string[]>;
  read(bucket: string, key: string): Promise<Buffer>;
  write(bucket: string, key: string, body: Buffer): Promise<void>;
  stop(): Promise<void>;
}

export async function startS3(buckets: string[] = []): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'dalaba-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
  });
  const keys = async (bucket: string) => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  };
  return {
    endpoint,
    dir,
    client,
    env: (bucket) => ({
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    }),
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async deleteBucket(name) {
      for (const key of await keys(name)) await client.send(new DeleteObjectCommand({ Bucket: name, Key: key }));
      await client.send(new DeleteBucketCommand({ Bucket: name }));
    },
    keys,
    async read(bucket, key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await Body!.transformToByteArray());
    },
    async write(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async stop() {
      client.destroy();
      // The apps' SDK clients keep connections alive: closed here, or close() would wait for them.
      server.httpServer.closeAllConnections();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
