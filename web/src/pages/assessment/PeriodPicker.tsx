import { Select, Space } from 'antd';
import { useMessages } from '../../i18n/i18n';
import { countyDate } from '../../time/county-time';
import { messages } from './messages';
import { PERIOD_KINDS, type PeriodChoice, type PeriodKind, partsOf, recentYears, switchKind } from './period';

const KIND_KEY = { month: 'month', quarter: 'quarter', half: 'half', year: 'yearly' } as const;

/** A month, quarter, half-year or year: the kind, the year, and which month, quarter or half of it. */
export function PeriodPicker({ value, onChange }: { value: PeriodChoice; onChange: (choice: PeriodChoice) => void }) {
  const t = useMessages(messages);
  const partLabel = (part: number) =>
    value.kind === 'month'
      ? t('monthN', { n: part })
      : value.kind === 'quarter'
        ? t('quarterN', { n: part })
        : t(part === 1 ? 'firstHalf' : 'secondHalf');
  return (
    <Space wrap>
      <Select<PeriodKind>
        aria-label={t('periodKind')}
        value={value.kind}
        onChange={(kind) => onChange(switchKind(value, kind))}
        options={PERIOD_KINDS.map((kind) => ({ value: kind, label: t(KIND_KEY[kind]) }))}
        style={{ width: 96 }}
      />
      <Select<number>
        aria-label={t('year')}
        value={value.year}
        onChange={(year) => onChange({ ...value, year })}
        options={recentYears(countyDate()).map((year) => ({ value: year, label: t('yearN', { n: year }) }))}
        style={{ width: 104 }}
      />
      {value.kind !== 'year' && (
        <Select<number>
          aria-label={t('part')}
          value={value.part}
          onChange={(part) => onChange({ ...value, part })}
          options={partsOf(value.kind).map((part) => ({ value: part, label: partLabel(part) }))}
          style={{ width: 112 }}
        />
      )}
    </Space>
  );
}
