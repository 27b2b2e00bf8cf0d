import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeKeyFile } from '../../src/ebd/domain/key-file';
import { generateSm2KeyPair } from '../../src/ebd/domain/sm2';
import type { EbdLinkView } from '../../src/ebd/ebd.dto';
import { UpperPlatform } from '../../src/sim/upper/upper-platform';
import type { TestApp } from './app';
import { SONGTAO } from './factories';

/** Songtao's county platform as its EBRID makes it (0101 通用平台). */
export const SONGTAO_PLATFORM = `4${SONGTAO}0101010101`;
/** Its upper platform: Tongren city's (铜仁市, 520600). */
export const TONGREN_PLATFORM = '35206000000000101010101';

/** A city platform listening on loopback, for a county to dock with. */
export const startUpper = () => UpperPlatform.start({ ebrid: TONGREN_PLATFORM });

/**
 * Docks a county with the upper platform as an admin does: a key file in the
 * app's EBD_KEY_DIR, the link saved over the API. The upper platform learns
 * the county's public key, so it verifies what the county sends.
 */
export async function dockCounty(
  t: TestApp,
  token: string,
  upper: Pick<UpperPlatform, 'ebrid' | 'url' | 'publicKey' | 'countyPublicKey'>,
  overrides: Record<string, unknown> = {},
  countyCode = SONGTAO,
): Promise<EbdLinkView> {
  mkdirSync(t.config.ebd.keyDir, { recursive: true });
  writeFileSync(join(t.config.ebd.keyDir, `county-${countyCode}.key`), writeKeyFile(generateSm2KeyPair().privateKey), {
    mode: 0o600,
  });
  const saved = await t.api.request<EbdLinkView>(
    'PUT',
    `/api/v1/ebd/links/${countyCode}`,
    {
      upperEbrid: upper.ebrid,
      upperUrl: upper.url,
      receiveUrl: `${t.url}/api/v1/ebd/exchange`,
      upperPublicKey: upper.publicKey,
      signer: `file:county-${countyCode}`,
      certSn: '000000003363',
      ...overrides,
    },
    { token },
  );
  if (saved.status !== 200) throw new Error(`docking failed: ${saved.status} ${JSON.stringify(saved.body)}`);
  upper.countyPublicKey = saved.body.publicKey!;
  return saved.body;
}
