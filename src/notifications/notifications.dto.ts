import { z } from 'zod';
import { named } from '../infra/http/openapi-schemas';
import { LineText } from '../infra/http/validation';
import { RegionCode } from '../kernel/region-code';
import { ROLES } from '../auth/domain/permissions';
import { NOTIFICATION_KINDS } from './domain/rules';

const Limit = z.coerce.number().int().min(1).max(200).default(50);
const Kind = z.enum(NOTIFICATION_KINDS);
const Minute = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (county time)')
  .describe('HH:MM, county time');

export const ListNotificationsQuery = z
  .object({
    unread: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true')
      .describe('true: only those you have not read'),
    before: z.iso.datetime({ offset: true }).optional().describe('older than this (the nextBefore of the last page)'),
    limit: Limit,
  })
  .strict();

const NotificationView = z.object({
  id: z.uuid(),
  kind: Kind,
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string().describe('county time'),
  readAt: z.string().nullable(),
});

export const NotificationPage = named(
  'NotificationPage',
  z.object({
    items: z.array(NotificationView),
    unread: z.number().int().describe('all your unread notifications, not only this page'),
    nextBefore: z.string().nullable().describe('pass as before for the next page; null on the last'),
  }),
);

export const MarkReadBody = z
  .object({
    ids: z.array(z.uuid()).min(1).max(200).optional(),
    all: z.literal(true).optional().describe('every notification you see'),
  })
  .strict()
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), {
    message: 'give either ids or all: true',
    path: ['ids'],
  });

export const MarkedView = named(
  'NotificationsMarked',
  z.object({ marked: z.number().int(), unread: z.number().int() }),
);

const RuleFields = {
  kind: Kind,
  roles: z
    .array(z.enum(ROLES))
    .max(ROLES.length)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
    .describe('who sees it in the console, within their scope; [] for a webhook-only rule'),
  webhookId: z.uuid().nullable().default(null).describe('also POST it to this webhook (of this region or above)'),
  quietFrom: Minute.nullable().default(null),
  quietUntil: Minute.nullable().default(null),
  enabled: z.boolean().default(true),
};

const quietBoth = (body: { quietFrom: string | null; quietUntil: string | null }) =>
  (body.quietFrom === null) === (body.quietUntil === null) &&
  (body.quietFrom === null || body.quietFrom !== body.quietUntil);
const QUIET = { message: 'quietFrom and quietUntil go together and differ', path: ['quietUntil'] };

export const CreateRuleBody = z
  .object({ regionCode: RegionCode.describe('applies to notifications of this region and below'), ...RuleFields })
  .strict()
  .refine(quietBoth, QUIET);
export const UpdateRuleBody = z.object(RuleFields).strict().refine(quietBoth, QUIET);

export const RuleView = named(
  'NotificationRule',
  z.object({
    id: z.uuid(),
    regionCode: z.string(),
    regionName: z.string(),
    kind: Kind,
    roles: z.array(z.enum(ROLES)),
    webhookId: z.uuid().nullable(),
    webhookName: z.string().nullable(),
    quietFrom: z.string().nullable(),
    quietUntil: z.string().nullable(),
    enabled: z.boolean(),
  }),
);
export const RuleList = named(
  'NotificationRuleList',
  z.object({
    items: z.array(RuleView),
    defaults: z
      .array(z.object({ kind: Kind, roles: z.array(z.enum(ROLES)) }))
      .describe('who sees each kind where no rule applies'),
  }),
);

export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .refine((url) => {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '';
  }, 'must not carry a user name or password: the webhook checks the signature instead');

const WebhookFields = {
  name: LineText.min(1).max(100),
  url: WebhookUrl,
  format: z
    .enum(['generic', 'sms_form'])
    .default('generic')
    .describe('generic: JSON; sms_form: an HTML form with the text of one SMS'),
};
export const CreateWebhookBody = z
  .object({
    regionCode: RegionCode.describe('whose webhook it is; rules of it and below may use it'),
    ...WebhookFields,
  })
  .strict();
export const UpdateWebhookBody = z.object(WebhookFields).strict();

export const WebhookView = named(
  'Webhook',
  z.object({
    id: z.uuid(),
    regionCode: z.string(),
    name: z.string(),
    url: z.string(),
    format: z.enum(['generic', 'sms_form']),
    createdAt: z.string(),
  }),
);
export const WebhookWithSecret = named(
  'WebhookWithSecret',
  WebhookView.extend({ secret: z.string().describe('the HMAC-SHA256 key; shown this once, keep it in the receiver') }),
);
export const WebhookList = named('WebhookList', z.object({ items: z.array(WebhookView) }));

export const DELIVERY_STATUSES = ['pending', 'held', 'digested', 'delivered', 'failed', 'given_up'] as const;
export const ListDeliveriesQuery = z.object({ status: z.enum(DELIVERY_STATUSES).optional(), limit: Limit }).strict();
const DeliveryView = z.object({
  id: z.uuid(),
  notificationId: z.uuid().nullable(),
  title: z.string().describe("the notification's title, or the digest's"),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  releaseAt: z.string().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export const DeliveryList = named('WebhookDeliveryList', z.object({ items: z.array(DeliveryView) }));

export const TestSendView = named(
  'WebhookTestSend',
  z.object({
    delivered: z.boolean(),
    status: z.number().int().nullable().describe("the webhook's HTTP status; null when it did not answer"),
    error: z.string().nullable(),
  }),
);
