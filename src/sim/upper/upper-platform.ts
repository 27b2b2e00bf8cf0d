import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResultCode, type EbdType } from '../../ebd/domain/codes';
import { ebdResponse } from '../../ebd/domain/details';
import { EbdRejected } from '../../ebd/domain/ebd-rejected';
import { dataEbdId, heartbeatEbdId } from '../../ebd/domain/ids';
import { openPackage, verifyPackage, type ReceivedPackage } from '../../ebd/domain/received';
import { sealPackage, type SealedPackage } from '../../ebd/domain/seal';
import type { SignatureLayout } from '../../ebd/domain/signature';
import { generateSm2KeyPair, sm2PublicKeyOf, sm2Sign } from '../../ebd/domain/sm2';
import type { XmlContent } from '../../ebd/domain/xml-writer';
import { optionalText } from '../../ebd/domain/xml-reader';

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface ReceivedReport {
  /** When it arrived. */
  at: Date;
  package: ReceivedPackage;
  /** Whether its signature verified with the county's public key (null: the key is not known yet). */
  verified: boolean | null;
  /** The EBDB as sent, for printing. */
  xml: string;
}

export interface SentPackage {
  sealed: SealedPackage;
  status: number;
  /** The county's EBDResponse: its code and text, and whether its signature verified. */
  answer?: { resultCode: number; resultDesc?: string; verified: boolean | null };
  /** Why no EBDResponse could be read from the answer. */
  problem?: string;
}

/**
 * An upper emergency-broadcast platform (a city's or a province's), as a
 * county platform meets it: it receives the county's packages over HTTP and
 * answers each with a signed EBDResponse, and it sends packages down (EBMs,
 * cancels, state and O&M requests), signed with its own SM2 key. Used by
 * `npm run sim:upper` and by tests, against a real Dalaba.
 */
export class UpperPlatform {
  readonly received: ReceivedReport[] = [];
  private readonly waiters = new Set<() => void>();
  countyPublicKey?: string;
  /** Told of every package the county sends, as it arrives (the CLI prints them). */
  onReceived?: (report: ReceivedReport) => void;

  private constructor(
    readonly ebrid: string,
    private readonly privateKey: string,
    private readonly server: Server,
    readonly url: string,
    private readonly layout: SignatureLayout,
    /** The sequence of the last package sent: the next EBDID is one more. */
    private sequence: bigint,
  ) {}

  static async start(options: {
    ebrid: string;
    privateKey?: string;
    port?: number;
    host?: string;
    /** Where the county reaches it, when not at http://host:port/ebd (behind a proxy or NAT). */
    url?: string;
    layout?: SignatureLayout;
    /** EBDIDs must not repeat across runs: a CLI run goes on from where the last one stopped. */
    lastSequence?: bigint;
  }): Promise<UpperPlatform> {
    const privateKey = options.privateKey ?? generateSm2KeyPair().privateKey;
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const platform = new UpperPlatform(
      options.ebrid,
      privateKey,
      server,
      options.url ?? `http://${options.host ?? '127.0.0.1'}:${port}/ebd`,
      options.layout ?? 'sm2_sm3',
      options.lastSequence ?? 0n,
    );
    server.on('request', (request, response) => {
      platform
        .receive(request)
        .then((answer) => {
          response.writeHead(200, {
            'content-type': 'application/x-tar',
            'content-disposition': `attachment;filename="${answer.fileName}"`,
          });
          response.end(answer.tar);
        })
        .catch((error: Error) => response.writeHead(500).end(error.message));
    });
    return platform;
  }

  get publicKey(): string {
    return sm2PublicKeyOf(this.privateKey);
  }

  get lastSequence(): bigint {
    return this.sequence;
  }

  /** Seals a package of this platform for a county platform (its EBRID), as the field sends it. */
  seal(
    destEbrid: string,
    type: EbdType,
    detail: XmlContent,
    options: { relatedEbdId?: string; resources?: Array<{ name: string; data: Buffer }> } = {},
  ) {
    // Heartbeats carry the zero sequence, as the county's own do.
    if (type !== 'ConnectionCheck') this.sequence += 1n;
    return sealPackage(
      {
        ebdId: type === 'ConnectionCheck' ? heartbeatEbdId(this.ebrid) : dataEbdId(this.ebrid, this.sequence),
        type,
        srcEbrid: this.ebrid,
        srcUrl: this.url,
        destEbrid,
        time: new Date(),
        ...(options.relatedEbdId ? { relatedEbdId: options.relatedEbdId } : {}),
      },
      detail,
      {
        signer: { certSn: '000000000001', sign: (data) => Promise.resolve(sm2Sign(data, this.privateKey)) },
        layout: this.layout,
      },
      options.resources,
    );
  }

  /** POSTs a sealed package (or any bytes, to see what the county makes of them) as multipart/form-data, and reads its answer. */
  async post(
    countyUrl: string,
    sealed: SealedPackage,
    options: { partName?: string; body?: Buffer } = {},
  ): Promise<SentPackage> {
    const form = new FormData();
    form.append(
      options.partName ?? 'file',
      new Blob([new Uint8Array(options.body ?? sealed.tar)], { type: 'application/octet-stream' }),
      sealed.fileName,
    );
    const response = await fetch(countyUrl, { method: 'POST', body: form });
    const body = Buffer.from(await response.arrayBuffer());
    try {
      const answer = await openPackage(body, MAX_BODY_BYTES);
      return {
        sealed,
        status: response.status,
        answer: {
          resultCode: Number(optionalText(answer.detail, 'ResultCode')),
          resultDesc: optionalText(answer.detail, 'ResultDesc'),
          verified: this.verify(answer),
        },
      };
    } catch (error) {
      return { sealed, status: response.status, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Waits until a package the county sent matches, and returns it; `stop` gives up early (Ctrl-C). */
  async waitFor(
    match: (report: ReceivedReport) => boolean,
    timeoutMs = 30_000,
    stop?: AbortSignal,
  ): Promise<ReceivedReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0 || stop?.aborted)
        throw new Error(
          `no matching package from the county ${stop?.aborted ? 'before it stopped' : `within ${timeoutMs} ms`} (got: ${this.received.map((report) => report.package.header.type).join(', ') || 'nothing'})`,
        );
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          stop?.removeEventListener('abort', wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
        stop?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private verify(received: ReceivedPackage): boolean | null {
    if (!this.countyPublicKey) return null;
    try {
      verifyPackage(received, this.countyPublicKey);
      return true;
    } catch {
      return false;
    }
  }

  /** Takes a POST from the county: the first `.tar` part, opened and verified; answered with a signed EBDResponse. */
  private async receive(request: IncomingMessage): Promise<SealedPackage> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) break;
      chunks.push(chunk as Buffer);
    }
    let code: ResultCode = ResultCode.Success;
    let reason: string | undefined;
    let related: ReceivedPackage | undefined;
    try {
      const form = await new Response(Buffer.concat(chunks), {
        headers: { 'content-type': request.headers['content-type'] ?? '' },
      }).formData();
      const file = [...form.values()].find((value) => typeof value !== 'string' && value.name.endsWith('.tar'));
      if (!file || typeof file === 'string') throw new EbdRejected(ResultCode.ParseFailure, 'no .tar part');
      related = await openPackage(Buffer.from(await file.arrayBuffer()), MAX_BODY_BYTES);
      const verified = this.verify(related);
      // Kept even when it does not verify: the simulator's user sees it, marked so.
      const report = { at: new Date(), package: related, verified, xml: related.ebdb.toString('utf8') };
      this.received.push(report);
      this.onReceived?.(report);
      for (const wake of this.waiters) wake();
      if (verified === false) throw new EbdRejected(ResultCode.SignatureFailure, 'the signature does not verify');
    } catch (error) {
      code = error instanceof EbdRejected ? error.resultCode : ResultCode.ParseFailure;
      reason = error instanceof Error ? error.message : String(error);
    }
    return this.seal(
      related?.header.srcEbrid ?? '',
      'EBDResponse',
      ebdResponse(code, reason),
      related ? { relatedEbdId: related.header.ebdId } : {},
    );
  }
}
