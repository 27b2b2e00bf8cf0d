import type { EbdType } from '../../ebd/domain/codes';
import { ebmStateResponse, ebrdtInfo, resourceStates } from '../../ebd/domain/details';
import { readEbd, writeEbd } from '../../ebd/domain/package';
import type { XmlContent } from '../../ebd/domain/xml-writer';
import { nextEbmSequence } from './identity';
import { contentOf, formatEvent, receivedEvent } from './print';
import type { ReceivedReport } from './upper-platform';

const COUNTY = '45206280000000101010101';
const EBMID = '35206000000000101010101202612030001';
const at = new Date('2026-12-03T09:30:05Z');

function report(type: EbdType, detail: XmlContent, verified: boolean | null = true): ReceivedReport {
  const ebdb = writeEbd(
    {
      ebdId: `10${COUNTY}${'7'.padStart(16, '0')}`,
      type,
      srcEbrid: COUNTY,
      time: at,
      relatedEbdId: `10${'3'.repeat(39)}`,
    },
    detail,
  );
  return { at, package: { ...readEbd(ebdb, 1 << 20), ebdb, resources: new Map() }, verified, xml: ebdb.toString() };
}

describe('what the upper-platform simulator prints', () => {
  it("shows an EBMStateResponse's state and coverage, verified, in Beijing time", () => {
    const event = receivedEvent(
      report(
        'EBMStateResponse',
        ebmStateResponse({
          rptTime: at,
          ebmId: EBMID,
          state: 3,
          coverage: { rate: 2 / 3, areaCodes: ['520628001000'], terminals: 2 },
          platformEbrid: COUNTY,
        }),
      ),
    );
    expect(event).toMatchObject({
      event: 'received',
      at: '2026-12-03T17:30:05.000+08:00',
      type: 'EBMStateResponse',
      relatedEbdId: `10${'3'.repeat(39)}`,
      verified: true,
      content: {
        EBMID,
        BrdStateCode: '3',
        BrdStateDesc: '播发成功',
        CoverageRate: '0.6667',
        AreaCode: '520628001000',
        ResBrdStat: '1,0,0,2',
      },
    });
    expect(formatEvent(event)).toBe(
      `17:30:05 ← EBMStateResponse 10${COUNTY}0000000000000007 (re 10${'3'.repeat(39)}) verified yes: ` +
        `EBMID ${EBMID}, BrdStateCode 3, BrdStateDesc 播发成功, CoverageRate 0.6667, AreaCode 520628001000, ResBrdStat 1,0,0,2`,
    );
  });

  it('says plainly when a signature did not verify, or could not be checked', () => {
    const heartbeat = (verified: boolean | null) =>
      formatEvent(receivedEvent(report('ConnectionCheck', [['RptTime', '2026-12-03 17:30:05']], verified)));
    expect(heartbeat(false)).toMatch(/verified NO: RptTime 2026-12-03 17:30:05$/);
    expect(heartbeat(null)).toMatch(/verified unknown \(no county key\)/);
  });

  it('counts terminals and their states', () => {
    const terminal = (n: number) => `6520628001001031401040${n}`;
    const info = ebrdtInfo(COUNTY, [
      { rptTime: at, rptType: 'Sync', ebrid: terminal(1), name: '白岩社区 1' },
      { rptTime: at, rptType: 'Sync', ebrid: terminal(2), name: '白岩社区 2' },
      { rptTime: at, rptType: 'Delete', ebrid: terminal(3), name: '白岩社区 3' },
    ]);
    const states = resourceStates('EBRDT', [
      { rptTime: at, ebrid: terminal(1), state: 1 },
      { rptTime: at, ebrid: terminal(2), state: 5 },
      { rptTime: at, ebrid: terminal(3), state: 1 },
    ]);
    expect(contentOf('EBRDTInfo', report('EBRDTInfo', info).package.detail)).toEqual({
      EBRDT: 3,
      RptType: { Sync: 2, Delete: 1 },
    });
    const event = receivedEvent(report('EBRDTState', states));
    expect(event.content).toEqual({ EBRDT: 3, StateCode: { '1': 2, '5': 1 } });
    expect(formatEvent(event)).toMatch(/: EBRDT 3, StateCode 1×2 5×1$/);
  });
});

describe('the EBMIDs the simulator mints', () => {
  it('count up within a Beijing day and start again at 1 on the next', () => {
    const first = nextEbmSequence({ ebd: '9', ebmDate: '', ebm: 0 }, '20261203');
    expect(first).toEqual({ ebd: '9', ebmDate: '20261203', ebm: 1 });
    expect(nextEbmSequence(first, '20261203').ebm).toBe(2);
    expect(nextEbmSequence({ ...first, ebm: 41 }, '20261204')).toMatchObject({ ebmDate: '20261204', ebm: 1 });
  });
});
