// The request a webhook receives, in either format, and its signature.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a webhook is told of one notification, or of a digest of several. */
export interface WebhookMessage {
  id: string;
  kind: string;
  region: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  /** A digest's notifications. */
  items?: WebhookMessage[];
}

export type WebhookFormat = 'generic' | 'sms_form';

/** The longest SMS text the form carries: gateways split longer ones into several paid messages. */
export const SMS_TEXT_MAX = 300;

/** A new secret for HMAC-SHA256: 32 random bytes, hex. */
export const newWebhookSecret = (): string => randomBytes(32).toString('hex');

/** `sha256=<hex>` of `timestamp.body` under the secret, as X-Dalaba-Signature carries it. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether a signature header is the one the secret makes (constant time); what a receiver does. */
export function verifySignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The body and its type: Dalaba's JSON, or an HTML form an SMS gateway (or a
 * county's relay in front of one) takes, with the text of one short message.
 */
export function webhookBody(format: WebhookFormat, message: WebhookMessage): { contentType: string; body: string } {
  if (format === 'generic') return { contentType: 'application/json', body: JSON.stringify(message) };
  const form = new URLSearchParams({
    id: message.id,
    kind: message.kind,
    region: message.region,
    text: smsText(message),
  });
  return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
}

/** 【大喇叭】title：body, cut at SMS_TEXT_MAX characters (a digest names its notifications' titles). */
export function smsText(message: WebhookMessage): string {
  const detail = message.items ? message.items.map((item) => item.title).join('；') : message.body;
  const text = `【大喇叭】${message.title}：${detail}`;
  return [...text].length <= SMS_TEXT_MAX ? text : `${[...text].slice(0, SMS_TEXT_MAX - 1).join('')}…`;
}
