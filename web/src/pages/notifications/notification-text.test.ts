import { describe, expect, it } from 'vitest';
import { messages } from './messages';
import { DELIVERY_TONES, KINDS, kindKey, statusKey, webhookUrlOk } from './notification-text';

describe('notification texts', () => {
  it('names every kind and delivery status in both languages', () => {
    for (const kind of KINDS) {
      expect(messages['zh-CN'][kindKey(kind)]).toBeTruthy();
      expect(messages.en[kindKey(kind)]).toBeTruthy();
    }
    for (const status of Object.keys(DELIVERY_TONES) as Array<keyof typeof DELIVERY_TONES>)
      expect(messages['zh-CN'][statusKey(status)]).toBeTruthy();
  });

  it('takes the webhook URLs the server takes', () => {
    expect(webhookUrlOk('https://sms.county.example/hook?token=abc')).toBe(true);
    expect(webhookUrlOk('http://10.0.0.5:8080/dingtalk')).toBe(true);
    expect(webhookUrlOk('ftp://example.org/')).toBe(false);
    expect(webhookUrlOk('https://user:pw@example.org/')).toBe(false);
    expect(webhookUrlOk('不是地址')).toBe(false);
  });
});
