import type { components } from '../../api/schema.gen';
import type { EbdMessageKey } from './messages';

export type EbdLink = components['schemas']['EbdLink'];
/** What the PUT takes (the server's SaveLinkBody). */
export type SaveLinkBody = Omit<
  EbdLink,
  | 'countyCode'
  | 'countyName'
  | 'ebrid'
  | 'publicKey'
  | 'signerError'
  | 'status'
  | 'linkCheckedAt'
  | 'linkUpAt'
  | 'linkError'
  | 'updatedAt'
>;

/** The form's fields: the body, but free text where a person types (blank means none). */
export type LinkFormValues = Omit<SaveLinkBody, 'address' | 'contact' | 'phone' | 'longitude' | 'latitude'> & {
  address?: string;
  contact?: string;
  phone?: string;
};

// The server's rules (src/kernel/ebrid.ts, src/ebd/signers.ts, src/ebd/domain/signature.ts), checked as one types:
// the server checks again, and only it can tell whether a key lies on the SM2 curve.
const EBRID = /^[1-6]\d{22}$/;
const SIGNER = /^file:[A-Za-z0-9_-]{1,64}$/;
const CERT_SN = /^[0-9A-Fa-f]{1,32}$/;
const PUBLIC_KEY = /^04[0-9a-f]{128}$/;

/** A public key as people paste it (spaces, line breaks, capitals) in the form the server keeps: 04‖x‖y. */
export function normalisePublicKey(text: string): string {
  const hex = text.replace(/\s+/g, '').toLowerCase();
  return hex.length === 128 ? `04${hex}` : hex;
}

/** Each field's check: the message key of what is wrong, or null when it is fine. */
export const LINK_CHECKS = {
  upperEbrid: (value: string) => (EBRID.test(value.trim()) ? null : 'errorEbrid'),
  upperUrl: (value: string) => (isHttpUrl(value.trim()) ? null : 'errorUrl'),
  receiveUrl: (value: string) => (isHttpUrl(value.trim()) ? null : 'errorUrl'),
  upperPublicKey: (value: string) => (PUBLIC_KEY.test(normalisePublicKey(value)) ? null : 'errorPublicKey'),
  signer: (value: string) => (SIGNER.test(value.trim()) ? null : 'errorSigner'),
  certSn: (value: string) => (CERT_SN.test(value.trim()) ? null : 'errorCertSn'),
} satisfies Record<string, (value: string) => EbdMessageKey | null>;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The server's bounds of each report interval, in seconds (SaveLinkBody). */
export const INTERVALS = {
  heartbeatSeconds: { min: 5, max: 3600, default: 30 },
  platformStateSeconds: { min: 30, max: 86400, default: 1800 },
  terminalStateSeconds: { min: 30, max: 86400, default: 300 },
  platformInfoSeconds: { min: 60, max: 7 * 86400, default: 86400 },
  terminalInfoSeconds: { min: 60, max: 7 * 86400, default: 86400 },
} as const;

/**
 * The form as it opens: the saved link, or for a county not yet docked the
 * server's defaults, this server's receive URL and the key name the keygen
 * command suggests for the county.
 */
export function initialValues(link: EbdLink | undefined, county: { code: string; name: string }, origin: string) {
  if (link)
    return {
      ...link,
      address: link.address ?? undefined,
      contact: link.contact ?? undefined,
      phone: link.phone ?? undefined,
    } satisfies Partial<LinkFormValues>;
  return {
    platformType: '0101',
    receiveUrl: `${origin}/api/v1/ebd/exchange`,
    signer: `file:county-${county.code}`,
    signatureLayout: 'sm2_sm3',
    autoAir: true,
    reportLocalAlerts: false,
    enabled: true,
    name: `${county.name}应急广播平台`,
    heartbeatSeconds: INTERVALS.heartbeatSeconds.default,
    platformStateSeconds: INTERVALS.platformStateSeconds.default,
    terminalStateSeconds: INTERVALS.terminalStateSeconds.default,
    platformInfoSeconds: INTERVALS.platformInfoSeconds.default,
    terminalInfoSeconds: INTERVALS.terminalInfoSeconds.default,
  } satisfies Partial<LinkFormValues>;
}

/** The body to PUT: trimmed, the key in the server's form, a blank optional field cleared. */
export function saveBody(values: LinkFormValues): Omit<SaveLinkBody, 'longitude' | 'latitude'> {
  const blankIsNull = (text: string | undefined) => (text?.trim() ? text.trim() : null);
  return {
    ...values,
    upperEbrid: values.upperEbrid.trim(),
    upperUrl: values.upperUrl.trim(),
    receiveUrl: values.receiveUrl.trim(),
    upperPublicKey: normalisePublicKey(values.upperPublicKey),
    signer: values.signer.trim(),
    certSn: values.certSn.trim(),
    name: values.name.trim(),
    address: blankIsNull(values.address),
    contact: blankIsNull(values.contact),
    phone: blankIsNull(values.phone),
  };
}
