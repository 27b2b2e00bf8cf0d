import type { AlertCategory, AlertLevel } from '../alert';
import { importCap } from './map';
import { type CapAlert, type CapInfo, parseCap } from './parse';
import { BASE, fixture, fixtureText, rejection, songtao } from '../../../../tests/helpers/cap';

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
