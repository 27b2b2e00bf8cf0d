import type { Server } from 'node:http';
import type { TrustedProxies } from './trusted-proxies';

/**
 * Closes a new connection at once when its address already holds `max` open
 * ones, so one host cannot tie up the server's sockets. Many devices of a
 * village may share one NAT address, so `max` is generous; a trusted proxy
 * carries everyone's connections and is not limited here (it should limit
 * per client itself).
 */
export function limitConnectionsPerAddress(server: Server, max: number, proxies: TrustedProxies): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || proxies.trusts(address)) return;
    const held = open.get(address) ?? 0;
    if (held >= max) {
      socket.destroy();
      return;
    }
    open.set(address, held + 1);
    socket.once('close', () => {
      const left = open.get(address)! - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
