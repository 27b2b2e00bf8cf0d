import { lookup } from 'node:dns/promises';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG } from '../infra/config/config.module';
import type { AppConfig } from '../infra/config/config';
import { badRequest } from '../infra/http/error-body';
import { Icecast } from '../infra/icecast/icecast';
import { StreamProbe } from '../media/stream-probe';
import { parseRelayUrl, privateAddressProblem } from './domain/relay-source';
import type { Airing } from './domain/rundown';

const URL_FIELD = 'body.relay.url';

/**
 * The outside streams a broadcast may relay: checked when saved (an http(s)
 * address, public unless allowed otherwise, serving audio this server can
 * decode), so an operator finds out now, not at 17:30; and checked again
 * before each airing pulls it, as its host may have moved since.
 */
@Injectable()
export class RelaySources {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly icecast: Icecast,
    private readonly streams: StreamProbe,
  ) {}

  /** The address, or 400 saying why it cannot be one; 503 while there is no Icecast to relay through. */
  parse(text: string): URL {
    const parsed = parseRelayUrl(text);
    if ('problem' in parsed)
      throw badRequest(`relay.url ${parsed.problem}`, [{ path: URL_FIELD, message: parsed.problem }]);
    if (!this.icecast.enabled)
      throw new ServiceUnavailableException(
        'Relayed streams go out through Icecast, which is not configured on this server (ICECAST_URL is not set)',
      );
    return parsed.url;
  }

  /** The relay as the rundown counts it, with the new mount it will be pushed to; 400 saying why not. */
  async airing(url: URL, relay: { durationSeconds: number; title?: string }): Promise<Airing> {
    const refuse = (message: string) => badRequest(message, [{ path: URL_FIELD, message }]);
    const problem = await this.addressProblem(url);
    if (problem) throw refuse(problem);
    const verdict = await this.streams.check(url.href);
    if (!verdict.ok) throw refuse(verdict.message);
    return {
      kind: 'relay',
      url: url.href,
      title: relay.title ?? `转播 ${hostOf(url)}`,
      durationMs: relay.durationSeconds * 1000,
      mount: this.icecast.newMount('relay'),
    };
  }

  /** Why the address may not be pulled from (unknown host, or private where that is not allowed), or null. */
  async addressProblem(url: URL): Promise<string | null> {
    const host = hostOf(url);
    const addresses = await lookup(host, { all: true }).then(
      (found) => found.map((one) => one.address),
      () => null,
    );
    if (!addresses) return `The stream could not be reached: its host name (${host}) is not known (DNS)`;
    return privateAddressProblem(host, addresses, this.config.relay.allowPrivate);
  }
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');
