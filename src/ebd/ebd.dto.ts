import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { EBRID_PATTERN, PLATFORM_TYPES } from '../kernel/ebrid';
import { EBD_TYPES } from './domain/codes';
import { CERT_SN_PATTERN } from './domain/signature';
import { SIGNER_SPEC } from './signers';

const seconds = (min: number, max: number, description: string) =>
  z.number().int().min(min).max(max).describe(description);

export const SaveLinkBody = z
  .object({
    platformType: z
      .enum(PLATFORM_TYPES)
      .default('0101')
      .describe('资源类型码 of this county platform: 0101 通用平台 or 0103 调度控制系统'),
    upperEbrid: z
      .string()
      .regex(EBRID_PATTERN, 'must be a 23-digit resource code')
      .describe("the upper platform's EBRID"),
    upperUrl: z.url({ protocol: /^https?$/ }).describe('where the upper platform receives packages'),
    receiveUrl: z
      .url({ protocol: /^https?$/ })
      .describe(
        "this platform's receive URL as the upper platform reaches it (sent as SRC/URL): this server's /api/v1/ebd/exchange",
      ),
    upperPublicKey: z
      .string()
      .min(128)
      .max(200)
      .describe("the upper platform's SM2 public key, 04‖x‖y in hex: every package from it is verified with it"),
    signer: z
      .string()
      .regex(SIGNER_SPEC, 'must be file:<name> (a key from npm run ebd:keygen)')
      .describe('file:<name>: the key file <EBD_KEY_DIR>/<name>.key signs this county’s packages'),
    certSn: z
      .string()
      .regex(CERT_SN_PATTERN, 'must be 1–32 hex digits')
      .describe('the certificate serial signatures name (CertSN)'),
    signatureLayout: z
      .enum(['sm2_sm3', 'cert_time'])
      .default('sm2_sm3')
      .describe('sm2_sm3 (GD/J 08x-2018) or cert_time (2016–17 platforms)'),
    autoAir: z
      .boolean()
      .default(true)
      .describe('an EBM from above airs at once (true) or waits for a local approver (false)'),
    reportLocalAlerts: z
      .boolean()
      .default(false)
      .describe('alerts approved here are reported up as EBMs of this platform'),
    heartbeatSeconds: seconds(5, 3600, 'ConnectionCheck interval').default(30),
    platformInfoSeconds: seconds(60, 7 * 86400, 'EBRPSInfo interval').default(86400),
    platformStateSeconds: seconds(30, 86400, 'EBRPSState interval').default(1800),
    terminalInfoSeconds: seconds(60, 7 * 86400, 'EBRDTInfo interval').default(86400),
    terminalStateSeconds: seconds(30, 86400, 'EBRDTState interval').default(300),
    name: LineText.min(1)
      .max(100)
      .optional()
      .describe("the platform's name in EBRPSInfo; default: <county>应急广播平台"),
    address: LineText.max(200).nullable().optional(),
    contact: LineText.max(50).nullable().optional(),
    phone: LineText.max(30).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    enabled: z
      .boolean()
      .default(true)
      .describe('false: nothing is sent up and packages from above are refused (ResultCode 5)'),
  })
  .strict();

export const EbdLinkView = named(
  'EbdLink',
  z.object({
    countyCode: z.string(),
    countyName: z.string(),
    ebrid: z.string().describe("this county platform's 23-digit EBRID"),
    platformType: z.enum(PLATFORM_TYPES),
    upperEbrid: z.string(),
    upperUrl: z.string(),
    receiveUrl: z.string(),
    upperPublicKey: z.string(),
    signer: z.string(),
    publicKey: z
      .string()
      .nullable()
      .describe("this platform's public key (give it to the upper platform); null when the signer cannot be read"),
    signerError: z.string().nullable(),
    certSn: z.string(),
    signatureLayout: z.enum(['sm2_sm3', 'cert_time']),
    autoAir: z.boolean(),
    reportLocalAlerts: z.boolean(),
    heartbeatSeconds: z.number().int(),
    platformInfoSeconds: z.number().int(),
    platformStateSeconds: z.number().int(),
    terminalInfoSeconds: z.number().int(),
    terminalStateSeconds: z.number().int(),
    name: z.string(),
    address: z.string().nullable(),
    contact: z.string().nullable(),
    phone: z.string().nullable(),
    longitude: z.number().nullable(),
    latitude: z.number().nullable(),
    enabled: z.boolean(),
    status: z
      .enum(['up', 'down', 'unknown'])
      .describe('up: the upper platform answered the last package, within three heartbeats'),
    linkCheckedAt: z.string().nullable(),
    linkUpAt: z.string().nullable(),
    linkError: z.string().nullable(),
    updatedAt: z.string(),
  }),
);
export type EbdLinkView = z.infer<typeof EbdLinkView>;

export const EbdLinkList = named('EbdLinkList', z.object({ items: z.array(EbdLinkView) }));

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Direction = z.enum(['inbound', 'outbound']);

export const ListPackagesQuery = z
  .object({
    direction: Direction.optional().describe('inbound: from the upper platform; outbound: sent up'),
    type: z.enum(EBD_TYPES).optional().describe('EBDType, e.g. ConnectionCheck'),
    limit: Limit,
  })
  .strict();

// Unnamed: only its list is a route's answer (every named schema is one a route uses).
export const EbdPackageView = z.object({
  ebdId: z.string(),
  type: z.string().describe('EBDType'),
  direction: Direction,
  peerEbrid: z.string().nullable(),
  relatedEbdId: z.string().nullable(),
  status: z
    .enum(['answered', 'pending', 'sent', 'failed'])
    .describe('answered (inbound), pending (outbound, to be sent or retried), sent, failed (given up)'),
  resultCode: z.number().int().nullable().describe('the EBDResponse ResultCode we answered or were answered'),
  resultDesc: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
  bytes: z.number().int().describe('size of the EBDT tar'),
});
export type EbdPackageView = z.infer<typeof EbdPackageView>;

export const EbdPackageList = named('EbdPackageList', z.object({ items: z.array(EbdPackageView) }));

export const ListMessagesQuery = z.object({ limit: Limit }).strict();

// Unnamed: only its list is a route's answer (every named schema is one a route uses).
export const EbdMessageView = z.object({
  ebmId: z.string(),
  direction: Direction.describe('inbound: sent by the upper platform; outbound: a local alert reported up'),
  msgType: z.number().int().describe('1 实际播发, 2 取消播发, 3–5 演练'),
  emergency: z
    .object({
      id: z.uuid(),
      title: z.string(),
      status: z.enum(['draft', 'approved', 'active', 'ended', 'cancelled', 'superseded']),
      level: z.number().int(),
      drill: z.boolean(),
    })
    .nullable()
    .describe('the Dalaba alert it is (a cancel: the alert it ended)'),
  reportedState: z.number().int().nullable().describe('the BrdStateCode last reported up; null before the first'),
  reportedStateDesc: z.string().nullable().describe('its name, e.g. 播发中'),
  createdAt: z.string(),
});
export type EbdMessageView = z.infer<typeof EbdMessageView>;

export const EbdMessageList = named('EbdMessageList', z.object({ items: z.array(EbdMessageView) }));
