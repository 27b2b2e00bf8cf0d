import { Injectable } from '@nestjs/common';
import type { DevicePrincipal } from '../auth/access.decorator';
import { Batcher } from '../kernel/batcher';
import { hashSecret } from './domain/secrets';
import { EndpointsRepository } from './endpoints.repository';

// A known device token is trusted this long without asking Postgres again;
// a revocation or a new enrollment evicts it sooner (see DeviceRevocations).
const DEVICE_CACHE_MS = 5 * 60_000;
const DEVICE_CACHE_LIMIT = 200_000;
// Unknown tokens asked about at once (a restart, a province's devices polling) are looked up together.
const LOOKUPS_PER_STATEMENT = 500;
const LOOKUP_STATEMENTS_AT_ONCE = 2;

/**
 * The device side of authentication: a token's digest names at most one
 * live endpoint. Known tokens are kept in memory (keyed by the token itself,
 * so a pull does not even hash it); Postgres holds only digests.
 */
@Injectable()
export class DeviceTokens {
  private readonly devices = new Map<string, { principal: DevicePrincipal; until: number }>();
  // The one token each endpoint has: finding a newer one drops the older.
  private readonly tokenOf = new Map<string, string>();

  // Digest to device (null: none), one statement for every token being looked up at the same time.
  private readonly lookups: Batcher<string, DevicePrincipal | null>;

  constructor(endpoints: EndpointsRepository) {
    this.lookups = new Batcher(
      async (digests) => {
        const found = new Map(
          (await endpoints.devicesByTokenHashes(digests)).map((device) => [device.tokenHash, device]),
        );
        return digests.map((digest) => found.get(digest) ?? null);
      },
      (digest) => digest,
      { maxItems: LOOKUPS_PER_STATEMENT, concurrency: LOOKUP_STATEMENTS_AT_ONCE },
    );
  }

  /** A known token is answered synchronously: the playlist poll makes no promise. */
  authenticate(token: string): DevicePrincipal | Promise<DevicePrincipal | null> {
    const cached = this.devices.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    return this.lookUp(token);
  }

  private async lookUp(token: string): Promise<DevicePrincipal | null> {
    const principal = await this.lookups.load(hashSecret(token));
    if (principal) {
      if (this.devices.size >= DEVICE_CACHE_LIMIT) {
        this.devices.clear();
        this.tokenOf.clear();
      }
      this.forget(principal.endpointId);
      this.devices.set(token, { principal, until: Date.now() + DEVICE_CACHE_MS });
      this.tokenOf.set(principal.endpointId, token);
    }
    return principal;
  }

  /** Drops the endpoint's cached token unless it is still the current one (null: revoked). */
  forgetUnless(endpointId: string, currentTokenHash: string | null): void {
    const token = this.tokenOf.get(endpointId);
    if (token !== undefined && this.devices.get(token)?.principal.tokenHash !== currentTokenHash)
      this.forget(endpointId);
  }

  private forget(endpointId: string): void {
    const token = this.tokenOf.get(endpointId);
    if (token !== undefined) this.devices.delete(token);
    this.tokenOf.delete(endpointId);
  }
}
