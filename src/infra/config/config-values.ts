import { isIP } from 'node:net';
import { z } from 'zod';

// The kinds of value the settings take, each validated the same way wherever it is used.

export const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const decimal = (min: number, max: number) => z.coerce.number().min(min).max(max);
export const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
export const oneOf = (values: readonly number[]) =>
  z.coerce.number().refine((value) => values.includes(value), `must be one of ${values.join(', ')}`);

// The rates and bit rates an MP3 (MPEG-1 layer III) encoder accepts.
export const MP3_SAMPLE_RATES = [32_000, 44_100, 48_000] as const;
export const MP3_BITRATES_KBPS = [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320] as const;

/** An address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}
export const addressList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine(
    (entries) => entries.every(isAddressOrRange),
    'must be a comma-separated list of IP addresses or CIDR ranges',
  );
