import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import {
  ALERT_CATEGORIES,
  type AlertCategory,
  type AlertLevel,
  CAP_MAX_BYTES,
  type CapAlert,
  type CapExport,
  type CapInfo,
  CapRejected,
  exportCap,
  formatCapDate,
  importCap,
  parseCap,
} from './cap';

const FIXTURES = join(__dirname, '../../../tests/fixtures/cap');
const fixture = (path: string) => readFileSync(join(FIXTURES, path));
const fixtureText = (path: string) => fixture(path).toString('utf8');
const SCHEMA = fixtureText('schema/CAP-v1.2.xsd');

const SONGTAO = new Set(
  readFileSync(join(__dirname, '../../../tests/fixtures/regions/songtao.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter(Boolean),
);
const songtao = (code: string) => (SONGTAO.has(code) ? code : null);

const rejection = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof CapRejected) return error.message;
    throw error;
  }
  throw new Error('expected a CapRejected');
};

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: { fileName: 'alert.xml', contents: xml },
    schema: { fileName: 'CAP-v1.2.xsd', contents: SCHEMA },
  });
  return result.valid ? [] : result.errors.map((error) => error.message);
}

// A small valid zh-CN alert; each case below changes one thing in it.
const BASE = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TEST-1</identifier>
  <sender>weather@520628.example</sender>
  <sent>2026-11-22T17:30:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨橙色预警</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <expires>2026-11-22T23:30:00+08:00</expires>
    <headline>松桃县气象台发布暴雨橙色预警信号</headline>
    <description>预计未来3小时内将出现50毫米以上降雨。</description>
    <area>
      <areaDesc>松桃苗族自治县</areaDesc>
      <polygon>27.1,109.1 27.2,109.1 27.2,109.2 27.1,109.1</polygon>
      <circle>27.15,109.15 5</circle>
      <geocode><valueName>GB/T 2260</valueName><value>520628</value></geocode>
    </area>
  </info>
</alert>`;
const variant = (from: string, to: string, text = BASE) => {
  if (!text.includes(from)) throw new Error(`the document has no ${from}`);
  return text.replace(from, to);
};

describe('parseCap: the fixture corpus', () => {
  const VALID: Array<[string, string, string, string, string[]]> = [
    [
      'au-rfs-fire-prefixed-ns.xml',
      'tag:www.rfs.nsw.gov.au2011-10-06:40184',
      '2011-10-05T13:04:00.000Z',
      'Alert',
      ['en-AU', 'en-AU'],
    ],
    [
      'be-kmi-rain-update-4lang.xml',
      '2.49.0.0.56.0.BE.20240712092001.1592243',
      '2024-07-12T03:50:00.000Z',
      'Update',
      ['nl-BE', 'fr-BE', 'en-GB', 'de-DE'],
    ],
    [
      'ca-ec-thunderstorm-allclear-en-fr.xml',
      '2.49.0.1.124.6bddbc91.2012',
      '2012-05-02T23:21:04.000Z',
      'Update',
      ['en-CA', 'fr-CA'],
    ],
    [
      'cn-cma-baoding-lightning-update-zh-en.xml',
      '13060041600000_20240712213138',
      '2024-07-12T13:31:38.000Z',
      'Update',
      ['en-US', 'zh-CN'],
    ],
    [
      'nws-fire-weather-watch-cancel.xml',
      'urn:oid:2.49.0.1.840.0.200f7ea12e7e752707f256bcb75139b8363610b4.001.1',
      '2026-09-12T15:15:00.000Z',
      'Cancel',
      ['en-US'],
    ],
    [
      'nws-flash-flood-warning-polygon.xml',
      'urn:oid:2.49.0.1.840.0.b58facdd7ca789cee07387522b92d4814a08ce30.001.1',
      '2026-09-12T13:39:00.000Z',
      'Alert',
      ['en-US'],
    ],
    [
      'nws-tornado-warning-update-en-es.xml',
      'NWS-IDP-DEV-3889297-3321274',
      '2020-01-23T14:24:00.000Z',
      'Update',
      ['en-US', 'es-US'],
    ],
    ['oasis-a1-homeland-security.xml', '43b080713727', '2003-04-02T19:39:01.000Z', 'Alert', ['en-US']],
    ['oasis-a2-thunderstorm-polygon.xml', 'KSTO1055887203', '2003-06-17T21:57:00.000Z', 'Alert', ['en-US']],
    ['oasis-a3-earthquake-update-circle.xml', 'TRI13970876.2', '2003-06-12T03:56:00.000Z', 'Update', ['en-US']],
    ['oasis-a4-amber-en-es.xml', 'KAR0-0306112239-SW', '2003-06-12T05:39:00.000Z', 'Alert', ['en-US', 'es-US']],
    [
      'sc-meteo-wind-signed-polygon.xml',
      'urn:oid:2.49.0.0.690.0.2024.5.19.13.18.0',
      '2024-05-19T13:18:00.000Z',
      'Alert',
      ['en'],
    ],
    [
      'us-ipaws-cancel-signed-noinfo.xml',
      'AS-NV-58d33e3a-1f9a-4909-9d59-34e90b33b3e8',
      '2019-04-19T17:46:20.000Z',
      'Cancel',
      [],
    ],
    [
      'us-usgs-earthquake-iso8859-1-signed-circle.xml',
      'USGS-earthquakes-usB000D5T4.3947362.7.20121014T225304.360Z.0',
      '2012-10-14T22:53:04.000Z',
      'Alert',
      ['en-US'],
    ],
    ['us-wcatwc-tsunami-extreme-update.xml', 'PAAQ-2-lqw6d6', '2011-09-02T11:36:50.000Z', 'Update', ['en-US']],
  ];

  it('covers every file in valid/', () => {
    expect(VALID.map(([file]) => file)).toEqual(readdirSync(join(FIXTURES, 'valid')).sort());
  });

  it.each(VALID)('parses %s', (file, identifier, sent, msgType, languages) => {
    const alert = parseCap(fixture(`valid/${file}`));
    expect(alert).toMatchObject({ identifier, status: 'Actual', msgType, scope: 'Public' });
    expect(alert.sent.toISOString()).toBe(sent);
    expect(alert.infos.map((info) => info.language)).toEqual(languages);
  });

  it('reads the Chinese CMA alert: zh-CN block, 12-digit geocode, a reference, expiry on the next local day', () => {
    const alert = parseCap(fixture('valid/cn-cma-baoding-lightning-update-zh-en.xml'));
    expect(alert.references).toEqual([
      {
        sender: 'Baoding_Meteorological_Observatory',
        identifier: '13060041600000_20240712073642',
        sent: '2024-07-12T21:31:38+08:00',
      },
    ]);
    const zh = alert.infos[1];
    expect(zh).toMatchObject({
      language: 'zh-CN',
      categories: ['Met'],
      event: '雷电',
      urgency: 'Unknown',
      severity: 'Moderate',
      certainty: 'Unknown',
    });
    expect(zh.headline).toBe('保定市气象台更新雷电黄色预警[Ⅲ级/较重]');
    expect(zh.areas).toEqual([
      { description: '新市区', geocodes: [{ valueName: 'CPEAS Geographic Code', value: '130602000000' }] },
    ]);
    expect(zh.expires?.toISOString()).toBe('2024-07-12T19:31:38.000Z');
  });

  it('reads a prefixed namespace (cap:alert) and its circle', () => {
    const text = fixtureText('valid/au-rfs-fire-prefixed-ns.xml');
    const alert = parseCap(text);
    expect(alert.infos[0]).toMatchObject({ categories: ['Fire', 'Met'], event: 'Fire', severity: 'Minor' });
    expect(alert.infos[0].areas[0].geocodes).toEqual([
      { valueName: 'http://www.iso.org/iso/country_codes.html', value: 'AU-NSW' },
    ]);
    expect(alert.infos[0].description).toContain('<br />'); // escaped HTML arrives as text
    const outOfRange = text.split('-35.3888,147.0598 25.0').join('-95.3888,147.0598 25.0');
    expect(rejection(() => parseCap(outOfRange))).toMatch(
      /<circle>: "-95.3888,147.0598" is not a latitude,longitude pair/,
    );
  });

  it('reads polygons: the NWS flood warning has one, and breaking it is noticed', () => {
    const text = fixtureText('valid/nws-flash-flood-warning-polygon.xml');
    const alert = parseCap(text);
    expect(alert.infos[0].event).toBe('Flash Flood Warning');
    expect(alert.infos[0].areas[0].geocodes).toContainEqual({ valueName: 'SAME', value: '013067' });
    const polygon = /<polygon>([^<]*)<\/polygon>/.exec(text)![1];
    const unclosed = text.replace(polygon, polygon.replace(/ \S+$/, ' 33.99,-84.99'));
    expect(rejection(() => parseCap(unclosed))).toMatch(/<polygon> is not closed/);
  });

  it('reads four languages and an Update reference from the Belgian alert', () => {
    const alert = parseCap(fixture('valid/be-kmi-rain-update-4lang.xml'));
    expect(alert.references).toEqual([
      { sender: 'kmi-irm', identifier: '2.49.0.0.56.0.BE.20240712034751.1592219', sent: '2024-07-12T05:50:00+02:00' },
    ]);
    expect(alert.infos.map((info) => info.event)).toContain('Grüne Warnung fur Regen');
    expect(alert.infos[0].areas[0]).toEqual({
      description: 'Antwerpen',
      geocodes: [{ valueName: 'NUTS2', value: 'BE21' }],
    });
  });

  it('reads two references and 26 geocodes from the Canadian all-clear', () => {
    const alert = parseCap(fixture('valid/ca-ec-thunderstorm-allclear-en-fr.xml'));
    expect(alert.references.map((reference) => reference.identifier)).toEqual([
      '2.49.0.1.124.a3f342a4.2012',
      '2.49.0.1.124.60f31a3a.2012',
    ]);
    expect(alert.infos.flatMap((info) => info.areas.flatMap((area) => area.geocodes))).toHaveLength(26);
  });

  it('reads a Cancel with no <info> at all', () => {
    const alert = parseCap(fixture('valid/us-ipaws-cancel-signed-noinfo.xml'));
    expect(alert.infos).toEqual([]);
    expect(alert.references).toEqual([
      {
        sender: 'bbrundage@dps.state.nv.us',
        identifier: 'AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd',
        sent: '2019-04-18T12:02:32-06:00',
      },
    ]);
  });

  it('decodes ISO-8859-1 and defaults a missing <language> to en-US', () => {
    const [info] = parseCap(fixture('valid/us-usgs-earthquake-iso8859-1-signed-circle.xml')).infos;
    expect(info).toMatchObject({
      language: 'en-US',
      severity: 'Unknown',
      headline: 'EQ 4.6 Usulután, Usulután, El Salvador - PRELIMINARY REPORT',
    });
  });

  it('accepts -00:00, an onset after expiry and extra namespaces, as real senders write them', () => {
    const tsunami = parseCap(fixture('valid/us-wcatwc-tsunami-extreme-update.xml'));
    expect(tsunami.sent.toISOString()).toBe('2011-09-02T11:36:50.000Z');
    expect(tsunami.infos[0].severity).toBe('Extreme');
    const tornado = parseCap(fixture('valid/nws-tornado-warning-update-en-es.xml')).infos[0];
    expect(tornado.expires!.getTime()).toBeLessThan(tornado.onset!.getTime());
  });

  const INVALID: Array<[string, RegExp]> = [
    ['01-not-xml.xml', /^not well-formed XML: missing root element$/],
    ['02-wrong-namespace-cap11.xml', /namespace "urn:oasis:names:tc:emergency:cap:1\.1"; only CAP 1\.2/],
    ['03-missing-identifier.xml', /^the alert has no <identifier>$/],
    ['04-missing-sent.xml', /^the alert has no <sent>$/],
    ['05-missing-info-event.xml', /^<info> 1 has no <event>$/],
    ['06-bad-sent-datetime.xml', /^<sent> "2026-11-22 17:30:00" is not a CAP date-time/],
    ['07-xxe-file-passwd.xml', /^DTDs and entities are not accepted$/],
    ['08-billion-laughs.xml', /^DTDs and entities are not accepted$/],
    ['09-polygon-3-points-unclosed.xml', /^<info> 1 <area> 1 <polygon> has 3 points; CAP needs at least 4/],
    [
      '10-expires-before-sent.xml',
      /^<info> 1 <expires> 2026-11-22T11:30:00\+08:00 is before the alert's <sent> 2026-11-22T17:30:00\+08:00$/,
    ],
  ];

  it('covers every XML file in invalid/', () => {
    const files = readdirSync(join(FIXTURES, 'invalid')).filter((file) => file.endsWith('.xml'));
    expect(INVALID.map(([file]) => file)).toEqual(files.sort());
  });

  it.each(INVALID)('refuses %s, saying why', (file, reason) => {
    expect(rejection(() => parseCap(fixture(`invalid/${file}`)))).toMatch(reason);
  });

  it('never resolves or echoes the external entity', () => {
    const reason = rejection(() => parseCap(fixture('invalid/07-xxe-file-passwd.xml')));
    expect(reason).not.toMatch(/root:|passwd/);
    if (existsSync('/etc/passwd')) expect(reason).not.toContain(readFileSync('/etc/passwd', 'utf8').split('\n')[0]);
  });

  it('refuses the billion laughs without expanding them', () => {
    const started = Date.now();
    rejection(() => parseCap(fixture('invalid/08-billion-laughs.xml')));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('parseCap: size and encodings', () => {
  const [head, tail] = BASE.split('预计未来3小时内将出现50毫米以上降雨。');
  const padded = (descriptionBytes: number) =>
    Buffer.concat([Buffer.from(head), Buffer.alloc(descriptionBytes, 'A'), Buffer.from(tail)]);

  it('refuses the 5 MiB alert of make-oversize.sh before parsing it', () => {
    expect(rejection(() => parseCap(padded(5 * 1024 * 1024)))).toMatch(
      /^the document is larger than 1 MiB \(\d+ bytes\)$/,
    );
  });

  it('takes exactly 1 MiB and refuses one byte more', () => {
    const frame = padded(0).length;
    expect(parseCap(padded(CAP_MAX_BYTES - frame)).infos[0].description).toHaveLength(CAP_MAX_BYTES - frame);
    expect(rejection(() => parseCap(padded(CAP_MAX_BYTES - frame + 1)))).toMatch(/larger than 1 MiB/);
  });

  it('counts a string in UTF-8 bytes, not characters', () => {
    const chinese = `${head}${'洪'.repeat(400_000)}${tail}`; // 400k characters, 1.2 MB
    expect(rejection(() => parseCap(chinese))).toMatch(/larger than 1 MiB/);
  });

  it('reads GBK, UTF-16 with a byte-order mark and UTF-8 with one', () => {
    const gbk = Buffer.concat([
      Buffer.from(head.replace('encoding="UTF-8"', 'encoding="GBK"').replace(/[^\x00-\x7f]+/g, 'X')),
      Buffer.from([0xb1, 0xa9, 0xd3, 0xea]), // 暴雨 in GBK
      Buffer.from(tail.replace(/[^\x00-\x7f]+/g, 'X')),
    ]);
    expect(parseCap(gbk).infos[0].description).toBe('暴雨');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASE.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(parseCap(utf16).infos[0].event).toBe('暴雨橙色预警');
    expect(parseCap(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(BASE)])).identifier).toBe('TEST-1');
  });

  it('refuses bytes that are not what the declaration says, and encodings it cannot read', () => {
    const western = BASE.replace('暴雨橙色预警', 'Usulután').replace(/[^\x00-\xff]+/g, 'X');
    expect(rejection(() => parseCap(Buffer.from(western, 'latin1')))).toBe('the bytes are not valid UTF-8 text');
    expect(parseCap(Buffer.from(western.replace('UTF-8', 'ISO-8859-1'), 'latin1')).infos[0].event).toBe('Usulután');
    expect(rejection(() => parseCap(Buffer.from(BASE.replace('UTF-8', 'x-martian'))))).toBe(
      'unsupported encoding "x-martian"',
    );
  });
});

describe('parseCap: the rules', () => {
  it('reads the base alert completely', () => {
    expect(parseCap(BASE)).toEqual({
      identifier: 'TEST-1',
      sender: 'weather@520628.example',
      sent: new Date('2026-11-22T09:30:00Z'),
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      references: [],
      infos: [
        {
          language: 'zh-CN',
          categories: ['Met'],
          event: '暴雨橙色预警',
          urgency: 'Immediate',
          severity: 'Severe',
          certainty: 'Likely',
          headline: '松桃县气象台发布暴雨橙色预警信号',
          description: '预计未来3小时内将出现50毫米以上降雨。',
          instruction: undefined,
          onset: undefined,
          effective: undefined,
          expires: new Date('2026-11-22T15:30:00Z'),
          areas: [{ description: '松桃苗族自治县', geocodes: [{ valueName: 'GB/T 2260', value: '520628' }] }],
        },
      ],
    });
  });

  it.each<[string, string, string]>([
    ['an offset of -00:00', '<sent>2026-11-22T09:30:00-00:00</sent>', '2026-11-22T09:30:00.000Z'],
    ['a negative offset', '<sent>2026-11-22T04:00:00-05:30</sent>', '2026-11-22T09:30:00.000Z'],
    ['a leap day', '<sent>2024-02-29T17:30:00+08:00</sent>', '2024-02-29T09:30:00.000Z'],
  ])('accepts %s', (_, sent, instant) => {
    const alert = parseCap(
      variant('<sent>2026-11-22T17:30:00+08:00</sent>', sent).replace(/<expires>.*<\/expires>/, ''),
    );
    expect(alert.sent.toISOString()).toBe(instant);
  });

  it('accepts expiry at the very moment of sending, and no <language>', () => {
    const alert = parseCap(
      variant('<expires>2026-11-22T23:30:00+08:00</expires>', '<expires>2026-11-22T09:30:00-00:00</expires>').replace(
        '<language>zh-CN</language>',
        '',
      ),
    );
    expect(alert.infos[0]).toMatchObject({ language: 'en-US', expires: new Date('2026-11-22T09:30:00Z') });
  });

  it.each<[string, string, string, RegExp]>([
    ['a UTC "Z"', '17:30:00+08:00</sent>', '09:30:00Z</sent>', /^<sent> "2026-11-22T09:30:00Z" is not a CAP date-time/],
    ['fractions of a second', '17:30:00+08:00</sent>', '17:30:00.5+08:00</sent>', /^<sent> .* is not a CAP date-time/],
    [
      'a 30th of February',
      '<sent>2026-11-22',
      '<sent>2026-02-30',
      /^<sent> "2026-02-30T17:30:00\+08:00" is not a real date and time$/,
    ],
    ['hour 24', '17:30:00+08:00</sent>', '24:00:00+08:00</sent>', /not a real date and time/],
    ['an offset beyond 14 hours', '17:30:00+08:00</sent>', '17:30:00+15:00</sent>', /not a real date and time/],
    ['a bad <onset>', '<expires>', '<onset>tomorrow</onset><expires>', /^<onset> "tomorrow" is not a CAP date-time/],
    [
      'an unknown <status>',
      '<status>Actual',
      '<status>Real',
      /^<status> "Real" is not one of Actual, Exercise, System, Test, Draft$/,
    ],
    ['an unknown <msgType>', '<msgType>Alert', '<msgType>Notice', /^<msgType> "Notice" is not one of/],
    [
      'an unknown <scope>',
      '<scope>Public',
      '<scope>Everyone',
      /^<scope> "Everyone" is not one of Public, Restricted, Private$/,
    ],
    ['no <status>', '<status>Actual</status>', '', /^the alert has no <status>$/],
    ['an empty <sender>', 'weather@520628.example', '', /^the alert has no <sender>$/],
    [
      'two identifiers',
      '<sender>',
      '<identifier>TEST-2</identifier><sender>',
      /^the alert has more than one <identifier>$/,
    ],
    ['a space in the identifier', 'TEST-1', 'TEST 1', /^<identifier> "TEST 1" must not contain spaces or commas$/],
    [
      'a malformed reference',
      '<info>',
      '<references>a@b,TEST-0</references><info>',
      /^<references> entry "a@b,TEST-0" is not sender,identifier,sent$/,
    ],
    [
      'a reference with a bad time',
      '<info>',
      '<references>a,b,2026-11-22</references><info>',
      /^<references> "2026-11-22" is not a CAP date-time/,
    ],
    ['no <category>', '<category>Met</category>', '', /^<info> 1 has no <category>$/],
    ['an unknown <category>', '<category>Met', '<category>Weather', /^<category> "Weather" is not one of Geo, Met/],
    ['no <urgency>', '<urgency>Immediate</urgency>', '', /^<info> 1 has no <urgency>$/],
    [
      'an unknown <severity>',
      '<severity>Severe',
      '<severity>High',
      /^<severity> "High" is not one of Extreme, Severe, Moderate, Minor, Unknown$/,
    ],
    ['no <certainty>', '<certainty>Likely</certainty>', '', /^<info> 1 has no <certainty>$/],
    ['a bad <language>', 'zh-CN', 'zh_CN', /^<info> 1 <language> "zh_CN" is not a language tag$/],
    ['an area without <areaDesc>', '<areaDesc>松桃苗族自治县</areaDesc>', '', /^<info> 1 <area> 1 has no <areaDesc>$/],
    [
      'an unclosed polygon',
      '27.2,109.2 27.1,109.1<',
      '27.2,109.2 27.1,109.2<',
      /^<info> 1 <area> 1 <polygon> is not closed/,
    ],
    [
      'a latitude beyond 90',
      '27.2,109.1 ',
      '91.2,109.1 ',
      /^<info> 1 <area> 1 <polygon>: "91.2,109.1" is not a latitude,longitude pair$/,
    ],
    ['a polygon point without longitude', '27.2,109.1 ', '27.2 ', /<polygon>: "27.2" is not a latitude,longitude pair/],
    [
      'a circle without radius',
      '27.15,109.15 5',
      '27.15,109.15',
      /^<info> 1 <area> 1 <circle> "27.15,109.15" is not "lat,lon radius"$/,
    ],
    [
      'a circle with a negative radius',
      '27.15,109.15 5',
      '27.15,109.15 -5',
      /<circle> "27.15,109.15 -5" is not "lat,lon radius"/,
    ],
    ['a geocode without <value>', '<value>520628</value>', '', /^<info> 1 <area> 1 <geocode> has no <value>$/],
    [
      'an <alert> with no namespace',
      ' xmlns="urn:oasis:names:tc:emergency:cap:1.2"',
      '',
      /^<alert> is in namespace "none"; only CAP 1.2/,
    ],
    ['a control character', '降雨。', '降雨\u0007。', /^not well-formed XML: it contains a control character$/],
    ['a tag left open', '</headline>', '', /^not well-formed XML: /],
    ['an undeclared entity', '降雨。', '&nbsp;', /^not well-formed XML: entity not found/],
    [
      'a DOCTYPE without entities',
      '<alert xmlns',
      '<!DOCTYPE alert><alert xmlns',
      /^DTDs and entities are not accepted$/,
    ],
  ])('refuses %s', (_, from, to, reason) => {
    expect(rejection(() => parseCap(variant(from, to)))).toMatch(reason);
  });

  it('names the root element when it is not <alert>', () => {
    expect(rejection(() => parseCap(variant('</alert>', '</feed>', variant('<alert xmlns', '<feed xmlns'))))).toBe(
      'the root element is <feed>, not a CAP <alert>',
    );
  });
});

describe('importCap', () => {
  const base = parseCap(BASE);
  const baseInfo = base.infos[0];
  const alertWith = (alert: Partial<CapAlert>, info: Partial<CapInfo> = {}): CapAlert => ({
    ...base,
    infos: [{ ...baseInfo, ...info }],
    ...alert,
  });
  const imported = (alert: CapAlert, regionCodeOf: (code: string) => string | null = songtao) => {
    const result = importCap(alert, regionCodeOf);
    if (result.action === 'cancel') throw new Error('expected an alert, got a cancel');
    return result;
  };
  const REFERENCE = { sender: 'weather@520628.example', identifier: 'TEST-0', sent: '2026-11-22T17:00:00+08:00' };

  it('turns a county alert into a draft for that county', () => {
    expect(importCap(base, songtao)).toEqual({
      action: 'draft',
      references: [],
      drill: false,
      title: '松桃县气象台发布暴雨橙色预警信号',
      level: 1,
      category: 'weather',
      text: '预计未来3小时内将出现50毫米以上降雨。',
      regionCodes: ['520628000000'],
      startsAt: undefined,
      expiresAt: new Date('2026-11-22T15:30:00Z'),
      unknownAreas: [],
    });
  });

  it('imports the CMA Update once its geocode names a Songtao region, taking the zh-CN block', () => {
    const text = fixtureText('valid/cn-cma-baoding-lightning-update-zh-en.xml');
    const local = text.replace(/(<areaDesc>新市区<\/areaDesc>[\s\S]*?<value>)130602000000/, '$1520628001');
    expect(imported(parseCap(local))).toMatchObject({
      action: 'update',
      references: [
        {
          sender: 'Baoding_Meteorological_Observatory',
          identifier: '13060041600000_20240712073642',
          sent: '2024-07-12T21:31:38+08:00',
        },
      ],
      drill: false,
      title: '保定市气象台更新雷电黄色预警[Ⅲ级/较重]',
      level: 3,
      category: 'weather',
      text: expect.stringMatching(/^保定市气象台2024年07月12日.*请注意防范。\n\n1\.政府及相关部门/),
      regionCodes: ['520628001000'],
      startsAt: new Date('2024-07-12T13:31:38Z'),
      expiresAt: new Date('2024-07-12T19:31:38Z'),
      unknownAreas: [],
    });
  });

  it.each<[string, string, AlertLevel | undefined, AlertCategory | undefined]>([
    ['au-rfs-fire-prefixed-ns.xml', 'draft', 4, 'fire'],
    ['be-kmi-rain-update-4lang.xml', 'update', 3, 'weather'],
    ['ca-ec-thunderstorm-allclear-en-fr.xml', 'update', 4, 'weather'],
    ['cn-cma-baoding-lightning-update-zh-en.xml', 'update', 3, 'weather'],
    ['nws-fire-weather-watch-cancel.xml', 'cancel', undefined, undefined],
    ['nws-flash-flood-warning-polygon.xml', 'draft', 1, 'flood'],
    ['nws-tornado-warning-update-en-es.xml', 'update', 1, 'weather'],
    ['oasis-a1-homeland-security.xml', 'draft', 1, 'public-security'],
    ['oasis-a2-thunderstorm-polygon.xml', 'draft', 1, 'weather'],
    ['oasis-a3-earthquake-update-circle.xml', 'update', 4, 'earthquake'],
    ['oasis-a4-amber-en-es.xml', 'draft', 1, 'public-security'],
    ['sc-meteo-wind-signed-polygon.xml', 'draft', 2, 'weather'],
    ['us-ipaws-cancel-signed-noinfo.xml', 'cancel', undefined, undefined],
    ['us-usgs-earthquake-iso8859-1-signed-circle.xml', 'draft', 4, 'earthquake'],
    ['us-wcatwc-tsunami-extreme-update.xml', 'update', 1, 'earthquake'],
  ])('imports %s as %s (level %s, %s), reaching no Songtao region', (file, action, level, category) => {
    const result = importCap(parseCap(fixture(`valid/${file}`)), songtao);
    expect(result.action).toBe(action);
    expect(result.references.length > 0).toBe(action !== 'draft'); // Updates and Cancels name what they replace
    if (result.action === 'cancel') return;
    expect(result).toMatchObject({ level, category, regionCodes: [] });
    expect(result.unknownAreas.length).toBeGreaterThan(0);
  });

  it('names foreign areas with the geocodes that did not map', () => {
    expect(imported(parseCap(fixture('valid/oasis-a4-amber-en-es.xml'))).unknownAreas).toEqual([
      'Los Angeles County (SAME 006037)',
    ]);
    expect(imported(parseCap(fixture('valid/oasis-a1-homeland-security.xml'))).unknownAreas).toEqual([
      'U.S. nationwide and interests worldwide',
    ]);
  });

  it('pads county and township codes, keeps village codes, and reports only areas that reach nothing', () => {
    const geocode = (value: string) => ({ valueName: 'GB/T 2260', value });
    const result = imported(
      alertWith(
        {},
        {
          areas: [
            {
              description: '松桃县',
              geocodes: [
                geocode('520628'),
                geocode('520628001'),
                geocode('520628001001'),
                geocode('520628001001'),
                geocode('999999'),
              ],
            },
            { description: '大兴街道', geocodes: [geocode('520628001000')] },
            { description: '铜仁市', geocodes: [geocode('520600'), { valueName: 'SAME', value: '006037' }] },
            { description: '河边', geocodes: [] },
          ],
        },
      ),
    );
    expect(result.regionCodes).toEqual(['520628000000', '520628001000', '520628001001']);
    expect(result.unknownAreas).toEqual(['铜仁市 (GB/T 2260 520600, SAME 006037)', '河边']);
  });

  it.each<[string, string, AlertLevel]>([
    ['Extreme', 'Immediate', 1],
    ['Extreme', 'Future', 1],
    ['Severe', 'Immediate', 1],
    ['Severe', 'Expected', 2],
    ['Severe', 'Unknown', 2],
    ['Moderate', 'Immediate', 2],
    ['Moderate', 'Expected', 3],
    ['Moderate', 'Past', 3],
    ['Minor', 'Immediate', 4],
    ['Minor', 'Expected', 4],
    ['Unknown', 'Immediate', 4],
    ['Unknown', 'Unknown', 4],
  ])('reads severity %s with urgency %s as level %s', (severity, urgency, level) => {
    expect(imported(alertWith({}, { severity, urgency })).level).toBe(level);
  });

  it.each<[string[], string, string | undefined, AlertCategory]>([
    [['Met'], '暴雨洪涝', undefined, 'flood'],
    [['Met'], '暴雨', '局地可能引发山洪', 'flood'],
    [['Safety'], '防汛应急响应', undefined, 'flood'],
    [['Env'], 'River inundation', undefined, 'flood'],
    [['Geo'], 'Flash Flood Warning', undefined, 'flood'],
    [['Health'], 'Flood-borne cholera', undefined, 'public-health'],
    [['Geo'], '地震', undefined, 'earthquake'],
    [['Met'], 'Tsunami Warning', undefined, 'earthquake'],
    [['Safety'], '海啸演练', undefined, 'earthquake'],
    [['Geo'], '滑坡', undefined, 'geological'],
    [['Met'], '台风', undefined, 'weather'],
    [['Met', 'Fire'], '森林火险', undefined, 'fire'],
    [['Health'], '传染病', undefined, 'public-health'],
    [['Security'], '治安', undefined, 'public-security'],
    [['Safety'], '燃气泄漏', undefined, 'public-security'],
    [['Rescue'], '寻人', undefined, 'public-security'],
    [['Transport'], '道路封闭', undefined, 'other'],
    [['CBRNE', 'Infra'], '化学品泄漏', undefined, 'other'],
  ])('reads categories %j with event %s (headline %s) as %s', (categories, event, headline, category) => {
    expect(imported(alertWith({}, { categories, event, headline })).category).toBe(category);
  });

  it.each<[Partial<CapInfo>, string, string]>([
    [{ headline: '标题', description: '详情', instruction: '请转移' }, '标题', '详情\n\n请转移'],
    [{ headline: undefined, description: undefined, instruction: '请转移' }, '暴雨橙色预警', '请转移'],
    [{ headline: '标题', description: undefined, instruction: undefined }, '标题', '标题'],
    [{ headline: undefined, description: undefined, instruction: undefined }, '暴雨橙色预警', '暴雨橙色预警'],
  ])('titles and words %j', (info, title, text) => {
    expect(imported(alertWith({}, info))).toMatchObject({ title, text });
  });

  it('starts at the onset, else when the info takes effect', () => {
    const onset = new Date('2026-11-22T10:00:00Z');
    const effective = new Date('2026-11-22T09:45:00Z');
    expect(imported(alertWith({}, { onset, effective })).startsAt).toEqual(onset);
    expect(imported(alertWith({}, { effective })).startsAt).toEqual(effective);
  });

  it('takes the Chinese block wherever it is, else the first', () => {
    const en = { ...baseInfo, language: 'en-US', headline: 'English' };
    const tw = { ...baseInfo, language: 'zh-TW', headline: '繁體' };
    const fr = { ...baseInfo, language: 'fr-FR', headline: 'Français' };
    expect(imported(alertWith({ infos: [en, tw] })).title).toBe('繁體');
    expect(imported(alertWith({ infos: [en, fr] })).title).toBe('English');
  });

  it('marks an Exercise as a drill, for a Cancel too', () => {
    expect(imported(alertWith({ status: 'Exercise' })).drill).toBe(true);
    expect(
      importCap(alertWith({ status: 'Exercise', msgType: 'Cancel', references: [REFERENCE], infos: [] }), songtao),
    ).toEqual({
      action: 'cancel',
      references: [REFERENCE],
      drill: true,
    });
  });

  it('carries the references of an Update', () => {
    expect(imported(alertWith({ msgType: 'Update', references: [REFERENCE] }))).toMatchObject({
      action: 'update',
      references: [REFERENCE],
    });
  });

  it.each<[string, Partial<CapAlert>, string]>([
    ['an Ack', { msgType: 'Ack' }, 'a CAP Ack message is not a public alert Dalaba can broadcast'],
    ['an Error', { msgType: 'Error' }, 'a CAP Error message is not a public alert Dalaba can broadcast'],
    [
      'a System message',
      { status: 'System' },
      'a CAP message with status System is not a public alert Dalaba can broadcast',
    ],
    ['a Test', { status: 'Test' }, 'a CAP message with status Test is not a public alert Dalaba can broadcast'],
    ['a Draft', { status: 'Draft' }, 'a CAP message with status Draft is not a public alert Dalaba can broadcast'],
    [
      'a Restricted alert',
      { scope: 'Restricted' },
      'a CAP message with scope Restricted is not a public alert Dalaba can broadcast',
    ],
    [
      'an Update without references',
      { msgType: 'Update' },
      'a CAP Update must name the alert it replaces in <references>',
    ],
    [
      'a Cancel without references',
      { msgType: 'Cancel' },
      'a CAP Cancel must name the alert it replaces in <references>',
    ],
    ['an Alert without <info>', { infos: [] }, 'a CAP Alert with no <info> has nothing to broadcast'],
    [
      'an Update without <info>',
      { msgType: 'Update', references: [REFERENCE], infos: [] },
      'a CAP Update with no <info> has nothing to broadcast',
    ],
    [
      'an info without <area>',
      { infos: [{ ...baseInfo, areas: [] }] },
      'the <info> in zh-CN has no <area>, so it reaches no region',
    ],
  ])('refuses %s', (_, alert, reason) => {
    expect(rejection(() => importCap(alertWith(alert), songtao))).toBe(reason);
  });

  it('leaves the region table alone for a cancel', () => {
    const lookups: string[] = [];
    importCap(alertWith({ msgType: 'Cancel', references: [REFERENCE] }), (code) => (lookups.push(code), null));
    expect(lookups).toEqual([]);
  });
});

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
