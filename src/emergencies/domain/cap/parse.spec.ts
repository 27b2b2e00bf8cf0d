import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCap } from './parse';
import { BASE, FIXTURES, fixture, fixtureText, rejection, variant } from '../../../../tests/helpers/cap';

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
