import { countyInstant } from '../../kernel/county-time';
import { reconciliationsDue } from './reconciliation';

const DAY = '2026-11-24';
const at = (hh: number, mm: number) => countyInstant(DAY, hh * 60 + mm);
const evening = { startMinute: 17 * 60 + 30, windowMinutes: 30 };

describe('when a day is reconciled', () => {
  it('reconciles a day with the default slot at 18:30, and the day before once more from noon', () => {
    expect(reconciliationsDue(at(11, 59), [evening])).toEqual([]);
    expect(reconciliationsDue(at(12, 0), [evening])).toEqual([{ pass: 'reconcile-late', date: '2026-11-23' }]);
    expect(reconciliationsDue(at(18, 29), [evening])).toEqual([{ pass: 'reconcile-late', date: '2026-11-23' }]);
    expect(reconciliationsDue(at(18, 30), [evening])).toEqual([
      { pass: 'reconcile', date: DAY },
      { pass: 'reconcile-late', date: '2026-11-23' },
    ]);
  });

  it('waits half an hour past the last slot of a county whose slots end later', () => {
    const late = [evening, { startMinute: 20 * 60, windowMinutes: 45 }];
    expect(reconciliationsDue(at(21, 14), late).map((due) => due.pass)).toEqual(['reconcile-late']);
    expect(reconciliationsDue(at(21, 15), late).map((due) => due.pass)).toEqual(['reconcile', 'reconcile-late']);
    expect(reconciliationsDue(at(18, 30), []).map((due) => due.pass)).toEqual(['reconcile', 'reconcile-late']);
  });
});
