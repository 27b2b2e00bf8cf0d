import { HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { badRequest } from '../infra/http/error-body';
import { withoutHiddenCharacters } from '../infra/text/hidden-characters';
import { UploadTitle } from './media.dto';
import type { StoredFile } from './media-store';
import type { MediaStorage } from './storage/media-storage';

export interface ReceivedUpload extends StoredFile {
  title?: string;
  /** As the client named it; used only to suggest a title, never to decide what the file is. */
  clientFileName: string;
}

// Room for the multipart framing and a title around the file itself.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Reads a multipart upload (field `file`, optional `title`) straight to
 * the storage as the input of <mediaId> (MEDIA_DIR/.incoming/, or the bucket), never holding the file in memory. Anything
 * refused leaves nothing behind.
 */
export async function receiveUpload(request: FastifyRequest, storage: MediaStorage, mediaId: string, maxBytes: number): Promise<ReceivedUpload> {
  const tooLarge = () => new PayloadTooLargeException(`The file is larger than the ${megabytes(maxBytes)} limit (MEDIA_MAX_BYTES)`);
  if (!request.isMultipart()) {
    throw new UnsupportedMediaTypeException('Send the file as multipart/form-data, in the field "file"');
  }
  if (Number(request.headers['content-length']) > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge();

  let received: StoredFile | undefined;
  let clientFileName = '';
  let title: string | undefined;
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 4096 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname !== 'title') continue;
        const parsed = UploadTitle.safeParse(part.value);
        if (!parsed.success) throw badRequest(`title ${parsed.error.issues[0].message}`, [{ path: 'body.title', message: parsed.error.issues[0].message }]);
        title = parsed.data;
      } else if (part.fieldname !== 'file') {
        part.file.resume();
        throw badRequest(`Unexpected file field "${part.fieldname}"; send the file in the field "file"`);
      } else {
        clientFileName = part.filename ?? '';
        received = await storage.receiveInput(part.file, mediaId);
      }
    }
  } catch (error) {
    discardRestOfBody(request);
    await storage.discardInputs(mediaId);
    if (error instanceof HttpException) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_FILES_LIMIT') throw badRequest('Send one file per upload');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest('Too many form fields; send "file" and optionally "title"');
    if (isMalformedBody(error)) throw badRequest(`The multipart body is malformed (${(error as Error).message}); send the file as multipart/form-data, in the field "file"`);
    throw error;
  }
  if (!received) throw badRequest('No file: send it in the multipart field "file"', [{ path: 'body.file', message: 'is required' }]);
  if (received.bytes === 0) {
    await storage.discardInputs(mediaId);
    throw badRequest('empty file: the upload has no content', [{ path: 'body.file', message: 'is empty' }]);
  }
  return { ...received, title, clientFileName };
}

/**
 * The multipart parser reports a body it cannot read (no boundary, a part
 * cut short, a broken part header) with a plain Error; its own errors carry
 * a 4xx status already, and a failing disk (an error with a syscall) or a
 * bug (a TypeError…) is ours.
 */
function isMalformedBody(error: unknown): boolean {
  return error instanceof Error && error.constructor === Error && !(error as NodeJS.ErrnoException).syscall;
}

/**
 * Reads and drops what the client is still sending after a refusal: the
 * parser stops pulling once we stop reading, and a client that waits to
 * finish sending before it reads the answer would otherwise wait forever.
 */
function discardRestOfBody(request: FastifyRequest): void {
  request.raw.unpipe();
  request.raw.resume();
}

/** A title from a client's file name: no folders, no extension, nothing hidden (e.g. "\u202Eexe.mp3" would show as "3pm.exe"). */
export function titleFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = withoutHiddenCharacters(base.replace(/\.[^.]{1,8}$/, ''), 'single')
    .trim()
    .slice(0, 200);
  return cleaned || undefined;
}
