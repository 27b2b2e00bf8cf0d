import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { errorCodes, type FastifyReply, type FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { Access } from '../auth/access.decorator';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { ResultCode } from './domain/codes';
import { EbdRejected } from './domain/ebd-rejected';
import { TooManyRequests } from '../infra/http/error-body';
import { RateLimiter } from '../infra/redis/rate-limiter';
import { EbdReceiver, type Upload } from './ebd-receiver.service';

export const EBD_EXCHANGE_PATH = '/api/v1/ebd/exchange';
/** A tar POSTed as the body itself, as some senders do instead of multipart/form-data. */
export const EBD_TAR_CONTENT_TYPES = ['application/x-tar', 'application/octet-stream'];

/**
 * The content-type parser of a raw tar: the exchange route reads the body
 * itself, within its own limit and answering even an oversize one; every
 * other route refuses the type as it did before (415).
 */
export function leaveTarUnread(
  request: FastifyRequest,
  _body: unknown,
  done: (error: Error | null, body?: undefined) => void,
): void {
  if (request.routeOptions.url === EBD_EXCHANGE_PATH) done(null);
  else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']));
}

/** The upper emergency-broadcast platform's way in: the package's signature is its authentication. */
@ApiTags('ebd')
@Controller(EBD_EXCHANGE_PATH.slice(1))
export class EbdExchangeController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly receiver: EbdReceiver,
    private readonly limiter: RateLimiter,
  ) {}

  @Post()
  @HttpCode(200)
  @Access.public()
  @ApiConsumes('multipart/form-data', ...EBD_TAR_CONTENT_TYPES)
  @ApiBody({ description: 'EBDT_<EBDID>.tar: the first part whose file name ends in .tar, or the body itself' })
  @ApiOkResponse({
    description: 'Always (whatever is wrong with the package): EBDT_<EBDID>.tar holding a signed EBDResponse',
    content: { 'application/x-tar': { schema: { type: 'string', format: 'binary' } } },
  })
  async exchange(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const answer = await this.receiver.receive(async () => {
      // Counted before anything is read or verified: a flood from one address costs a counter, not an SM2 check each.
      const refusal = await this.limiter
        .admit(`ebd:${request.ip}`, this.config.ebd.perAddress, 'too many packages from this address')
        .then(
          () => null,
          (error: unknown) => {
            if (error instanceof TooManyRequests) return new EbdRejected(ResultCode.Other, error.message);
            throw error;
          },
        );
      if (!refusal) return readUpload(request, this.config.ebd.maxPackageBytes);
      discardRestOfBody(request);
      return { refused: refusal };
    });
    void reply
      .header('content-type', 'application/x-tar')
      .header('content-disposition', `attachment;filename="${answer.fileName}"`);
    return answer.tar;
  }
}

/**
 * The package a request carries: the first `.tar` part of a multipart body,
 * or a raw body. An oversize one is refused without being kept (its file
 * name, read first, still says what to answer about).
 */
export async function readUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  const oversize = (fileName?: string): Upload => {
    discardRestOfBody(request);
    return {
      fileName,
      refused: new EbdRejected(
        ResultCode.Other,
        `the package is larger than ${maxBytes} bytes (EBD_MAX_PACKAGE_BYTES)`,
      ),
    };
  };
  if (!request.isMultipart()) {
    if (Buffer.isBuffer(request.body)) return { data: request.body };
    if (typeof request.body === 'string') return { data: Buffer.from(request.body) };
    if (Number(request.headers['content-length']) > maxBytes) return oversize();
    return (await readStream(request, maxBytes)) ?? oversize();
  }
  let fileName: string | undefined;
  let data: Buffer | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 16, fields: 16, parts: 32 } })) {
      if (part.type === 'field') continue;
      if (fileName !== undefined || !/\.tar$/i.test(part.filename ?? '')) {
        part.file.resume();
        continue;
      }
      fileName = part.filename;
      data = await part.toBuffer();
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return oversize(fileName);
    discardRestOfBody(request);
    return {
      fileName,
      refused: new EbdRejected(
        ResultCode.ParseFailure,
        `the multipart body cannot be read: ${(error as Error).message}`,
      ),
    };
  }
  return data
    ? { data, fileName }
    : { refused: new EbdRejected(ResultCode.ParseFailure, 'the request has no file part whose name ends in .tar') };
}

async function readStream(request: FastifyRequest, maxBytes: number): Promise<{ data: Buffer } | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is drained unkept: stopping would cut the connection the answer goes back on.
  for await (const chunk of request.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? null : { data: Buffer.concat(chunks) };
}

/** Reads and drops what the sender is still sending, so a sender that finishes before it reads the answer gets one. */
function discardRestOfBody(request: FastifyRequest): void {
  request.raw.unpipe();
  request.raw.resume();
}
