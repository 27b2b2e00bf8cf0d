import { Controller, Get, Headers, HttpException, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator';
import { answerRange } from './domain/byte-range';
import { RENDITION_EXTENSION, RENDITION_MIME } from './domain/rendition';
import { MediaStorage } from './storage/media-storage';

const RENDITION_NAME = new RegExp(`^([0-9a-f]{64})\\.${RENDITION_EXTENSION}$`);

/**
 * The renditions endpoints download. A name is the file's own sha256, so the
 * bytes behind it never change: caches may keep them for good, and a device
 * checks what it got against the name. Public, like any broadcast: the
 * content is what the loudspeakers air, and a name cannot be guessed. With a
 * bucket and MEDIA_DELIVERY=redirect the bytes come from the bucket: a 302 to
 * a short-lived signed URL, which serves Range requests itself.
 */
@ApiTags('device')
@Controller('media')
export class MediaFilesController {
  constructor(private readonly storage: MediaStorage) {}

  @Get(':file')
  @Access.public()
  @ApiParam({ name: 'file', description: '<sha256>.mp3', example: `${'0'.repeat(64)}.mp3` })
  @ApiHeader({ name: 'Range', required: false, description: 'one byte range, e.g. bytes=0-65535' })
  @ApiProduces(RENDITION_MIME)
  @ApiResponse({ status: 200, description: 'The whole file' })
  @ApiResponse({ status: 206, description: 'The requested range' })
  @ApiResponse({ status: 302, description: 'MEDIA_DELIVERY=redirect: fetch it from this signed URL (it expires; ask here again)' })
  @ApiResponse({ status: 304, description: 'If-None-Match matched: you have it' })
  @ApiResponse({ status: 404, description: 'No such file' })
  @ApiResponse({ status: 416, description: 'The range starts past the end of the file' })
  async serve(
    @Param('file') file: string,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const sha256 = RENDITION_NAME.exec(file)?.[1];
    const size = sha256 ? await this.storage.renditionSize(sha256) : null;
    if (!sha256 || size === null) throw new NotFoundException(`No media file ${file}`);

    const etag = `"${sha256}"`;
    const signed = await this.storage.deliveryUrl(sha256);
    if (signed) {
      // The URL expires, the name does not: what may be cached is the way here, never the way there.
      reply.header('cache-control', 'no-store').redirect(signed, 302);
      return;
    }
    reply.headers({
      'content-type': RENDITION_MIME,
      etag,
      'cache-control': 'public, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
    });
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => [etag, sha256, '*'].includes(tag.trim().replace(/^W\//, '')))) {
      reply.status(304).send();
      return;
    }
    const answer = answerRange(range, size);
    if (answer.kind === 'unsatisfiable') {
      reply.header('content-range', `bytes */${size}`);
      throw new HttpException(`Range ${range} is outside the file (${size} bytes)`, 416);
    }
    if (answer.kind === 'partial') {
      reply
        .status(206)
        .header('content-range', `bytes ${answer.start}-${answer.end}/${size}`)
        .header('content-length', answer.end - answer.start + 1)
        .send(await this.storage.openRendition(sha256, answer));
      return;
    }
    reply.status(200).header('content-length', size).send(await this.storage.openRendition(sha256));
  }
}
