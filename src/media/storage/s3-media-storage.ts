import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline as pipe, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Logger } from '@nestjs/common';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MediaStorageConfig, S3Settings } from '../../infra/config/config';
import { RENDITION_EXTENSION, RENDITION_MIME } from '../domain/rendition';
import { measuring, type MediaStore, type StoredFile } from '../media-store';
import { type ByteRange, MediaStorage } from './media-storage';

type S3Storage = Extract<MediaStorageConfig, { kind: 's3' }>;

const SHA256 = /^[0-9a-f]{64}$/;
// Renditions never change or go, so a size once seen is kept (up to this many) instead of asked again.
const KNOWN_SIZES = 10_000;

/**
 * An S3-compatible bucket (AWS, MinIO, Aliyun OSS, Tencent COS, Ceph): inputs
 * under <prefix>incoming/<mediaId>, renditions at <prefix><sha256>.mp3. A
 * PUT is all or nothing, so a rendition is never seen half written; MEDIA_DIR
 * holds only this process's work in progress.
 */
export class S3MediaStorage extends MediaStorage {
  readonly scratchIsPrivate = true;
  private readonly client: S3Client;
  private readonly signer: S3Client;
  private readonly s3: S3Settings;
  private readonly known = new Map<string, number>();

  constructor(
    readonly scratch: MediaStore,
    private readonly storage: S3Storage,
  ) {
    super();
    this.s3 = storage.s3;
    this.client = new S3Client(clientConfig(this.s3, this.s3.endpoint));
    // Signing needs no connection: the URL names the address devices reach the bucket at.
    this.signer = new S3Client(clientConfig(this.s3, this.s3.publicEndpoint ?? this.s3.endpoint));
  }

  prepare(): Promise<void> {
    return this.scratch.prepare();
  }

  async receiveInput(source: Readable, mediaId: string): Promise<StoredFile> {
    const measure = measuring();
    // An error of the client's stream (too large, cut short) ends the body with it, and so the upload.
    const body = pipe(source, measure.stream, () => undefined);
    const key = this.inputKey(mediaId);
    const upload = new Upload({ client: this.client, params: { Bucket: this.s3.bucket, Key: key, Body: body } });
    try {
      await upload.done();
    } catch (error) {
      source.resume();
      await this.delete(key).catch(() => undefined);
      throw explained(error, 'upload of', key);
    }
    return measure.file();
  }

  async adoptInput(mediaId: string): Promise<StoredFile> {
    const path = this.scratch.incomingPath(mediaId);
    const file = await this.scratch.hash(path);
    await this.put(this.inputKey(mediaId), path, file.bytes, 'application/octet-stream');
    await this.scratch.discard(path);
    return file;
  }

  async fetchInput(mediaId: string): Promise<string | null> {
    const key = this.inputKey(mediaId);
    const path = this.scratch.incomingPath(mediaId);
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: key }));
      await pipeline(Body as Readable, createWriteStream(path));
      return path;
    } catch (error) {
      await this.scratch.discard(path);
      if ((error as Error).name === 'NoSuchKey') return null;
      throw explained(error, 'download of', key);
    }
  }

  async discardInputs(mediaId: string): Promise<void> {
    await this.scratch.discardInputs(mediaId);
    await this.delete(this.inputKey(mediaId));
  }

  async commitRendition(path: string): Promise<StoredFile> {
    try {
      const file = await this.scratch.hash(path);
      // Content-addressed: what is there already is these very bytes.
      if ((await this.renditionSize(file.sha256)) === null) {
        await this.put(this.renditionKey(file.sha256), path, file.bytes, RENDITION_MIME);
        this.remember(file.sha256, file.bytes);
      }
      return file;
    } finally {
      await this.scratch.discard(path);
    }
  }

  async renditionSize(sha256: string): Promise<number | null> {
    const known = this.known.get(sha256);
    if (known !== undefined) return known;
    const key = this.renditionKey(sha256);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.s3.bucket, Key: key }));
      this.remember(sha256, head.ContentLength ?? 0);
      return head.ContentLength ?? 0;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw explained(error, 'HEAD of', key);
    }
  }

  async openRendition(sha256: string, range?: ByteRange): Promise<Readable> {
    const key = this.renditionKey(sha256);
    const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: key, Range }));
      return Body as Readable;
    } catch (error) {
      throw explained(error, 'download of', key);
    }
  }

  async deliveryUrl(sha256: string): Promise<string | null> {
    if (this.storage.delivery !== 'redirect') return null;
    const command = new GetObjectCommand({ Bucket: this.s3.bucket, Key: this.renditionKey(sha256) });
    return getSignedUrl(this.signer, command, { expiresIn: this.storage.signedUrlSeconds });
  }

  /** This process's scratch, then inputs in the bucket that no processing row waits for (an upload whose request died). */
  async sweepLeftovers(olderThanMs: number, isWaitingInput: (mediaId: string) => Promise<boolean>): Promise<string[]> {
    const removed = await this.scratch.sweepLeftovers(olderThanMs, isWaitingInput);
    const cutoff = Date.now() - olderThanMs;
    const Prefix = this.inputKey('');
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.s3.bucket, Prefix, ContinuationToken }));
      for (const { Key, LastModified } of page.Contents ?? []) {
        if (!Key || !LastModified || LastModified.getTime() > cutoff) continue;
        if (await isWaitingInput(Key.slice(Prefix.length, Prefix.length + 36))) continue;
        await this.delete(Key);
        removed.push(`s3://${this.s3.bucket}/${Key}`);
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return removed;
  }

  private inputKey(mediaId: string): string {
    return `${this.s3.prefix}incoming/${mediaId}`;
  }

  private renditionKey(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return `${this.s3.prefix}${sha256}.${RENDITION_EXTENSION}`;
  }

  private remember(sha256: string, bytes: number): void {
    if (this.known.size >= KNOWN_SIZES) this.known.delete(this.known.keys().next().value!);
    this.known.set(sha256, bytes);
  }

  private async put(key: string, path: string, bytes: number, contentType: string): Promise<void> {
    const immutable = contentType === RENDITION_MIME ? { CacheControl: 'public, max-age=31536000, immutable' } : {};
    const command = new PutObjectCommand({
      Bucket: this.s3.bucket,
      Key: key,
      Body: createReadStream(path),
      ContentLength: bytes,
      ContentType: contentType,
      ...immutable,
    });
    await this.client.send(command).catch((error: unknown) => {
      throw explained(error, 'upload of', key);
    });
  }

  private async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: key })).catch((error: unknown) => {
      throw explained(error, 'delete of', key);
    });
  }
}

// The SDK's warnings in the service's log, not on the console; its chatter below that is dropped.
const sdkLog = new Logger('S3');
const sdkLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...content: unknown[]) => sdkLog.warn(content.map(String).join(' ')),
  error: (...content: unknown[]) => sdkLog.error(content.map(String).join(' ')),
};

function clientConfig(s3: S3Settings, endpoint: string | undefined): S3ClientConfig {
  return {
    logger: sdkLogger,
    region: s3.region,
    endpoint,
    forcePathStyle: s3.forcePathStyle,
    credentials: s3.credentials,
    // Checksums only where S3 requires them: not every S3-compatible store (OSS, COS, Ceph) accepts the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** The bucket's failure, not the client's: a server error, retried by the job queue. */
export class ObjectStorageError extends Error {}

/**
 * An S3 failure (an S3 error, or a connection refused) named as the operator
 * will look for it: the SDK's own message may be a bare status. Anything
 * else (the client's stream cut short, too large) is left as it is.
 */
function explained(error: unknown, operation: string, key: string): unknown {
  const failure = error as { $metadata?: unknown; name?: string; message?: string; code?: string };
  if (!(error instanceof Error) || (!failure.$metadata && !/^E[A-Z]+$/.test(failure.code ?? ''))) return error;
  const why = [failure.name !== 'Error' ? failure.name : undefined, failure.code, failure.message].filter(Boolean).join(': ');
  return new ObjectStorageError(`object storage ${operation} ${key} failed: ${why}`, { cause: error });
}
