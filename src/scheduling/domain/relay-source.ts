import { BlockList, isIP } from 'node:net';

// Dalaba fetches a relay's source itself, from inside the operator's network,
// so an address typed into a broadcast must not be a way to reach what only
// the server can reach (its own Redis, Icecast's admin pages, a cloud
// metadata service): private, loopback and link-local addresses are refused
// unless RELAY_ALLOW_PRIVATE says the county's sources live on such a network.

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one anyone on the internet could reach (not private, loopback, link-local…). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The address as a relay source, or why it cannot be one (before anything is fetched). */
export function parseRelayUrl(text: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { problem: 'is not a web address (it should look like http://radio.example.cn/live.mp3)' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `must be an http:// or https:// address, not ${url.protocol}` };
  return { url };
}

/** Why the host's addresses may not be relayed from, or null when they may. */
export function privateAddressProblem(host: string, addresses: string[], allowPrivate: boolean): string | null {
  if (allowPrivate) return null;
  const inside = addresses.filter((address) => !isPublicAddress(address));
  if (!inside.length) return null;
  return `${host} is a private or local address (${inside.join(', ')}); relays are taken from public addresses only, unless the server is set to allow private ones (RELAY_ALLOW_PRIVATE)`;
}
