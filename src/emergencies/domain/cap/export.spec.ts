import { validateXML } from 'xmllint-wasm';
import { ALERT_CATEGORIES, type AlertLevel } from '../alert';
import { formatCapDate } from './date';
import { type CapExport, exportCap } from './export';
import { importCap } from './map';
import { parseCap } from './parse';
import { fixtureText, songtao } from '../../../../tests/helpers/cap';

const SCHEMA = fixtureText('schema/CAP-v1.2.xsd');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: 'alert.xml', contents: xml },
    schema: { fileName: 'CAP-v1.2.xsd', contents: SCHEMA },
  });
  return result.valid ? [] : result.errors.map((error) => error.message);
}

describe('exportCap', () => {
  const ALERT: CapExport = {
    identifier: 'dalaba-4f1c2e5a-0000-4000-8000-000000000001',
    sender: 'dalaba@520628000000',
    sent: new Date('2026-11-23T09:30:00Z'),
    drill: false,
    msgType: 'Alert',
    references: [],
    title: '松桃县暴雨红色预警',
    level: 1,
    category: 'flood',
    text: '请沿河、低洼地带群众立即转移。',
    startsAt: new Date('2026-11-23T09:30:00Z'),
    expiresAt: new Date('2026-11-23T15:30:00Z'),
    areas: [
      { code: '520628001000', name: '大兴街道' },
      { code: '520628001001', name: '白岩社区居民委员会' },
    ],
  };

  it.each<[string, string]>([
    ['2026-11-23T09:30:00.000Z', '2026-11-23T17:30:00+08:00'],
    ['2026-11-23T16:00:00.999Z', '2026-11-24T00:00:00+08:00'],
    ['2026-12-31T20:15:05.000Z', '2027-01-01T04:15:05+08:00'],
  ])('formats %s in county time as %s', (instant, text) => {
    expect(formatCapDate(new Date(instant))).toBe(text);
  });

  it('writes the alert in the order the schema sets', () => {
    expect(exportCap(ALERT)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>dalaba-4f1c2e5a-0000-4000-8000-000000000001</identifier>
  <sender>dalaba@520628000000</sender>
  <sent>2026-11-23T17:30:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>洪涝灾害</event>
    <urgency>Immediate</urgency>
    <severity>Extreme</severity>
    <certainty>Observed</certainty>
    <onset>2026-11-23T17:30:00+08:00</onset>
    <expires>2026-11-23T23:30:00+08:00</expires>
    <headline>松桃县暴雨红色预警</headline>
    <description>请沿河、低洼地带群众立即转移。</description>
    <area>
      <areaDesc>大兴街道</areaDesc>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>520628001000</value>
      </geocode>
    </area>
    <area>
      <areaDesc>白岩社区居民委员会</areaDesc>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>520628001001</value>
      </geocode>
    </area>
  </info>
</alert>
`);
  });

  it('links the audio as a resource, without a digest (CAP digests are SHA-1)', () => {
    const xml = exportCap({
      ...ALERT,
      audioUrl: 'https://dalaba.example/media/a.mp3?v=1&k=2',
      audioBytes: 482_113,
      audioSha256: 'ab'.repeat(32),
    });
    expect(xml).toContain(`    <resource>
      <resourceDesc>广播音频</resourceDesc>
      <mimeType>audio/mpeg</mimeType>
      <size>482113</size>
      <uri>https://dalaba.example/media/a.mp3?v=1&amp;k=2</uri>
    </resource>
    <area>`);
    expect(xml).not.toMatch(/digest|abab/);
  });

  const VARIANTS: Array<[string, CapExport]> = [
    ['a plain alert', ALERT],
    [
      'a drill Update with audio',
      {
        ...ALERT,
        drill: true,
        msgType: 'Update',
        references: [{ sender: ALERT.sender, identifier: 'dalaba-0', sent: '2026-11-23T17:00:00+08:00' }],
        audioUrl: 'https://dalaba.example/a.mp3?a=1&b=2',
        audioBytes: 1024,
      },
    ],
    [
      'a Cancel with two references',
      {
        ...ALERT,
        msgType: 'Cancel',
        references: [
          { sender: 'a', identifier: 'b', sent: '2026-11-23T17:00:00+08:00' },
          { sender: 'a', identifier: 'c', sent: '2026-11-23T17:10:00+08:00' },
        ],
      },
    ],
    [
      'text full of markup',
      { ...ALERT, level: 4, category: 'other', title: '<b>"停水" & \'停电\'</b>', text: ']]> <!-- &amp; \u0001 -->' },
    ],
  ];

  it.each(VARIANTS)('writes %s that the OASIS schema accepts', async (_, alert) => {
    expect(await schemaErrors(exportCap(alert))).toEqual([]);
  });

  it('is checked by a schema validator that does find faults', async () => {
    expect(await schemaErrors(exportCap(ALERT).replace('+08:00</sent>', 'Z</sent>'))).toEqual([
      expect.stringMatching(/sent/),
    ]);
    expect(await schemaErrors(exportCap(ALERT).replace(/<msgType>.*\n/, ''))).toEqual([
      expect.stringMatching(/scope.*not expected/),
    ]);
    expect(await schemaErrors(fixtureText('valid/oasis-a2-thunderstorm-polygon.xml'))).toEqual([]);
  });

  it('escapes text so it comes back exactly', () => {
    const title = '<b>"停水" & \'停电\'</b> ]]>';
    const [info] = parseCap(exportCap({ ...ALERT, title, text: 'a < b && c > d\r\n第二行' })).infos;
    expect(info).toMatchObject({ headline: title, description: 'a < b && c > d\n第二行' });
  });

  it.each(
    ([1, 2, 3, 4] as AlertLevel[]).flatMap((level) => ALERT_CATEGORIES.map((category) => [level, category] as const)),
  )('round-trips level %s %s through CAP', (level, category) => {
    const back = importCap(
      parseCap(exportCap({ ...ALERT, level, category, title: '县应急广播预警', drill: level === 2 })),
      songtao,
    );
    expect(back).toEqual({
      action: 'draft',
      references: [],
      drill: level === 2,
      title: '县应急广播预警',
      level,
      category,
      text: ALERT.text,
      regionCodes: ['520628001000', '520628001001'],
      startsAt: ALERT.startsAt,
      expiresAt: ALERT.expiresAt,
      unknownAreas: [],
    });
  });

  it('round-trips an Update and a drill Cancel with their references', () => {
    const references = [
      { sender: ALERT.sender, identifier: 'dalaba-0', sent: formatCapDate(new Date('2026-11-23T09:00:00Z')) },
    ];
    expect(importCap(parseCap(exportCap({ ...ALERT, msgType: 'Update', references })), songtao)).toMatchObject({
      action: 'update',
      references,
    });
    expect(importCap(parseCap(exportCap({ ...ALERT, msgType: 'Cancel', drill: true, references })), songtao)).toEqual({
      action: 'cancel',
      references,
      drill: true,
    });
  });
});
