import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Access, CurrentUser, entityIn, UserPrincipal } from '../auth/access.decorator';
import { ApiResult, Parsed, ValidBody, ValidParam, ValidQuery } from '../infra/http/validation';
import { ListMediaQuery, MediaPage, MediaView, SpeakBody } from './media.dto';
import { MediaService } from './media.service';

// Read in a parameter decorator below, which the rule's scope analysis does not follow.
// eslint-disable-next-line no-useless-assignment
const MediaId = z.uuid();

/** Operators and lecturers turn recordings and text into broadcast-ready audio. */
@ApiTags('media')
@Controller('api/v1/media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Post()
  @HttpCode(202)
  @Access.user('media.upload')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'any audio (or video with sound) ffmpeg reads; at most MEDIA_MAX_BYTES' },
        title: { type: 'string', maxLength: 200, description: "defaults to the file's name" },
      },
    },
  })
  @ApiResult(202, MediaView, 'Received; processing into the broadcast rendition. Poll GET /api/v1/media/{id}', {
    400: 'No file, an empty file, or a bad title',
    401: 'Not signed in',
    403: 'Your role may not upload',
    413: 'Larger than MEDIA_MAX_BYTES',
    415: 'Not multipart/form-data',
    429: 'Over a media quota (details name it, its limit and when it resets)',
  })
  upload(@CurrentUser() actor: UserPrincipal, @Req() request: FastifyRequest) {
    return this.media.upload(actor, request);
  }

  @Post('tts')
  @HttpCode(202)
  @Access.user('media.upload')
  @ApiResult(202, MediaView, 'Text accepted; it is spoken with espeak-ng and processed like an upload', {
    400: 'Empty text, text over TTS_MAX_CHARS, or an unknown voice',
    401: 'Not signed in',
    403: 'Your role may not upload',
    429: 'Over a media quota (details name it, its limit and when it resets)',
  })
  speak(@CurrentUser() actor: UserPrincipal, @ValidBody(SpeakBody) body: Parsed<typeof SpeakBody>) {
    return this.media.speak(actor, body);
  }

  @Get()
  @Access.user('media.read')
  @ApiResult(200, MediaPage, 'Media in your scope, newest first', { 400: 'Invalid query', 401: 'Not signed in', 403: 'Your role may not' })
  list(@CurrentUser() actor: UserPrincipal, @ValidQuery(ListMediaQuery) query: Parsed<typeof ListMediaQuery>) {
    return this.media.list(actor, query);
  }

  @Get(':id')
  @Access.user('media.read', entityIn('param', 'id', 'media'))
  @ApiResult(200, MediaView, 'One media item: its status, and once ready its rendition', {
    401: 'Not signed in',
    403: 'Your role may not, or it belongs outside your scope',
    404: 'No such media',
  })
  get(@ValidParam('id', MediaId) id: string) {
    return this.media.get(id);
  }
}
