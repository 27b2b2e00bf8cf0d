import { countyInstant } from '../../kernel/county-time';
import { answerOf, audienceOf, quietUntil, retryDelayMs } from './rules';
import { signature, smsText, SMS_TEXT_MAX, verifySignature, webhookBody } from './webhook-request';

const at = (time: string) => countyInstant('2026-12-03', Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
const minute = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

describe('notification rules', () => {
  it('sends an alert to approvers and the rest to operators and admins unless rules say otherwise', () => {
    expect(audienceOf('alert_awaiting_approval', [])).toEqual(['approver']);
    expect(audienceOf('endpoint_fault', [])).toEqual(['operator', 'admin']);
    expect(audienceOf('endpoint_fault', [{ roles: ['operator'] }, { roles: ['approver', 'operator'] }])).toEqual([
      'approver',
      'operator',
    ]);
    expect(audienceOf('endpoint_fault', [{ roles: [] }])).toEqual([]);
  });

  it('knows when quiet hours end, in county time, also across midnight', () => {
    expect(quietUntil(at('23:30'), minute('22:00'), minute('07:00'))).toEqual(
      countyInstant('2026-12-04', minute('07:00')),
    );
    expect(quietUntil(at('06:59'), minute('22:00'), minute('07:00'))).toEqual(at('07:00'));
    expect(quietUntil(at('07:00'), minute('22:00'), minute('07:00'))).toBeNull();
    expect(quietUntil(at('12:30'), minute('12:00'), minute('14:00'))).toEqual(at('14:00'));
    expect(quietUntil(at('14:00'), minute('12:00'), minute('14:00'))).toBeNull();
    expect(quietUntil(at('12:30'), null, null)).toBeNull();
  });

  it('retries what may mend and gives up on what will not', () => {
    expect([200, 204, 301, 400, 404, 408, 429, 500, 503].map(answerOf)).toEqual([
      'delivered',
      'delivered',
      'failed',
      'failed',
      'failed',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect([1, 2, 3, 20].map(retryDelayMs)).toEqual([3_000, 6_000, 12_000, 600_000]);
  });
});

describe('webhook requests', () => {
  const message = {
    id: 'n1',
    kind: 'endpoint_fault',
    region: '520628001001',
    title: '喇叭故障',
    body: '功放无输出',
    link: '/regions',
    createdAt: '2026-12-03T10:00:00.000Z',
  };

  it('signs timestamp.body with HMAC-SHA256 and verifies it', () => {
    const body = JSON.stringify(message);
    const header = signature('secret', '1764756000', body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('secret', '1764756000', body, header)).toBe(true);
    expect(verifySignature('secret', '1764756001', body, header)).toBe(false);
    expect(verifySignature('other', '1764756000', body, header)).toBe(false);
  });

  it('shapes an SMS form with one short text', () => {
    const form = new URLSearchParams(webhookBody('sms_form', message).body);
    expect(form.get('text')).toBe('【大喇叭】喇叭故障：功放无输出');
    expect([...smsText({ ...message, body: '很长'.repeat(500) })]).toHaveLength(SMS_TEXT_MAX);
  });
});
