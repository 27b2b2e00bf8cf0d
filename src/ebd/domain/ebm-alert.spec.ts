import { parseXml } from '../../infra/text/xml';
import { ebm } from './details';
import { EbdRejected } from './ebd-rejected';
import { type Ebm, readEbm } from './ebm';
import { alertOfEbm, areasInCounty } from './ebm-alert';
import { xmlDocument } from './xml-writer';

const COUNTY = '520628000000';
const upper = '35206000000000101010101';
const now = new Date('2026-12-03T08:00:00Z');

const ebmXml = (overrides: Partial<Parameters<typeof ebm>[0]> = {}): string =>
  xmlDocument([
    'EBM',
    ebm({
      ebmId: `${upper}202612030001`,
      msgType: 1,
      senderName: '铜仁市应急广播中心',
      senderCode: upper,
      sendTime: now,
      eventType: '11B03',
      severity: 2,
      startTime: now,
      endTime: new Date(now.getTime() + 2 * 3600_000),
      title: '暴雨橙色预警',
      description: '请注意防范',
      areaCodes: ['520628001000'],
      ...overrides,
    }),
  ]).toString('utf8');

const message = (overrides: Partial<Parameters<typeof ebm>[0]> = {}): Ebm => readEbm(parseXml(ebmXml(overrides)));

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof EbdRejected) return { code: error.resultCode, reason: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe("an EBM's areas in a county", () => {
  it('keeps codes inside the county and drops other counties', () => {
    expect(areasInCounty(['520628001000', '520627000000', '520628101101', '520628001000'], COUNTY)).toEqual([
      '520628001000',
      '520628101101',
    ]);
  });

  it('takes the county, its city or its province as the whole county', () => {
    for (const code of [COUNTY, '520600000000', '520000000000'])
      expect(areasInCounty(['520628001000', code], COUNTY)).toEqual([COUNTY]);
    expect(areasInCounty(['530000000000', '520700000000'], COUNTY)).toEqual([]);
  });
});

describe('the alert an EBM becomes', () => {
  it('maps severity, event, drills and the broadcast window', () => {
    const alert = alertOfEbm(message({ msgType: 4, severity: 0, eventType: '11C01' }), ['520628001000'], now);
    expect(alert).toMatchObject({
      level: 4,
      category: 'earthquake',
      drill: true,
      regionCodes: ['520628001000'],
      spoken: '暴雨橙色预警。请注意防范',
      startsAt: now,
      expiresAt: new Date(now.getTime() + 2 * 3600_000),
    });
    expect(alertOfEbm(message({ severity: 1 }), [COUNTY], now)).toMatchObject({ level: 1, drill: false });
  });

  it('starts now when its StartTime has passed, and lasts an hour when it names no EndTime', () => {
    const started = message({ startTime: new Date(now.getTime() - 600_000) });
    expect(alertOfEbm(started, [COUNTY], now).startsAt).toEqual(now);
    const later = new Date(now.getTime() + 600_000);
    const open = { ...message({ startTime: later }), endTime: undefined };
    expect(alertOfEbm(open, [COUNTY], now)).toMatchObject({
      startsAt: later,
      expiresAt: new Date(later.getTime() + 3600_000),
    });
  });

  it('is refused (3) with no region of the county left, or an EndTime already past', () => {
    expect(refusal(() => alertOfEbm(message(), [], now))).toMatchObject({ code: 3, reason: /none of the EBM's areas/ });
    const ended = message({ startTime: new Date(now.getTime() - 7200_000), endTime: new Date(now.getTime() - 60_000) });
    expect(refusal(() => alertOfEbm(ended, [COUNTY], now))).toMatchObject({ code: 3, reason: /EndTime has passed/ });
  });
});

describe('reading an EBM', () => {
  const withText = (from: string, to: string) => {
    const xml = ebmXml();
    expect(xml).toContain(from);
    return () => readEbm(parseXml(xml.replace(from, to)));
  };

  it('refuses placeholders in numeric fields (3), not read as zero', () => {
    expect(refusal(withText('<Severity>2</Severity>', '<Severity>无</Severity>'))).toMatchObject({ code: 3 });
    expect(refusal(withText('<MsgType>1</MsgType>', '<MsgType>x</MsgType>'))).toMatchObject({ code: 3 });
    expect(refusal(withText('<MsgType>1</MsgType>', '<MsgType>6</MsgType>'))).toMatchObject({ code: 3 });
  });

  it('takes area codes of 6 and 9 digits, and full-width commas', () => {
    const ebmRead = withText('<AreaCode>520628001000</AreaCode>', '<AreaCode>520628，520628001</AreaCode>')();
    expect(ebmRead.content?.areaCodes).toEqual(['520628000000', '520628001000']);
  });
});
