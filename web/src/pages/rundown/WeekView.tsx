import { Button, Card, Skeleton, Typography } from 'antd';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { countyClock } from '../../time/county-time';
import { LAYER_COLOUR, LAYER_KEY } from './DayView';
import { messages } from './messages';
import { weekdayKey } from './schedule-plan';
import { layoutTimeline } from './timeline';
import type { useWeekRundowns } from './use-rundown';
import { WindowSummary } from './WindowSummary';

/**
 * Seven dates of one region side by side (stacked on a phone): per date what
 * airs and the slot's used and remaining time. Choosing a date opens its day.
 */
export function WeekView({
  week,
  onOpenDate,
}: {
  week: ReturnType<typeof useWeekRundowns>;
  onOpenDate: (date: string) => void;
}) {
  const t = useMessages(messages);
  return (
    <div
      style={{
        display: 'grid',
        gridTemplateColumns: 'repeat(auto-fill, minmax(112px, 1fr))',
        gap: 8,
      }}
    >
      {week.dates.map((date, index) => {
        const { data, error, isPending } = week.results[index];
        const heading = t('weekDay', { date, weekday: t(weekdayKey(date)) });
        return (
          <Card
            key={date}
            size="small"
            title={
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onOpenDate(date)}>
                {heading}
              </Button>
            }
          >
            {error ? (
              <FailureAlert error={error} />
            ) : isPending || !data ? (
              <Skeleton active paragraph={{ rows: 2 }} title={false} />
            ) : (
              <>
                <WindowSummary rundown={data} compact />
                <ul style={{ listStyle: 'none', padding: 0, margin: '8px 0 0' }}>
                  {layoutTimeline(data).entries.map((entry) => (
                    <li
                      key={entry.key}
                      style={{ borderLeft: `4px solid ${LAYER_COLOUR[entry.level]}`, paddingLeft: 6, marginBottom: 4 }}
                    >
                      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{countyClock(entry.startsAt)}</span>{' '}
                      <span style={{ overflowWrap: 'anywhere' }}>{entry.title}</span>{' '}
                      <Typography.Text type="secondary">{t(LAYER_KEY[entry.level])}</Typography.Text>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        );
      })}
    </div>
  );
}
