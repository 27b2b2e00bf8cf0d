import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';

const IPV4_MAPPED = '::ffff:';

/**
 * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
 * believed (TRUSTED_PROXIES). From any other peer those headers are the
 * client's own claim, and a client could name any address it likes (to
 * dodge a per-address limit) or claim HTTPS.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly none: boolean;

  constructor(entries: readonly string[]) {
    this.none = entries.length === 0;
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = isIPv4(address) ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
  }

  /** Whether a peer address is a trusted proxy (an IPv4 peer on a dual-stack socket arrives as ::ffff:a.b.c.d). */
  readonly trusts = (address: string | undefined): boolean => {
    if (this.none || !address) return false;
    const v4 = address.startsWith(IPV4_MAPPED) ? address.slice(IPV4_MAPPED.length) : address;
    return isIPv4(v4) ? this.list.check(v4, 'ipv4') : this.list.check(address, 'ipv6');
  };

  /** A request a trusted proxy says reached it over HTTPS (the last X-Forwarded-Proto hop, as Fastify reads it). */
  sentOverHttps(request: IncomingMessage): boolean {
    const proto = request.headers['x-forwarded-proto'];
    if (proto === undefined || !this.trusts(request.socket.remoteAddress)) return false;
    const value = Array.isArray(proto) ? proto[proto.length - 1] : proto;
    return value.slice(value.lastIndexOf(',') + 1).trim() === 'https';
  }
}
