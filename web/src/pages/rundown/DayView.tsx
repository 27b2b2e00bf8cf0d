import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { App, Button, Empty, Popconfirm, Space, Tag, Typography } from 'antd';
import { $api } from '../../api/client';
import { useFailureNotice } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { addDays, countyClock, duration } from '../../time/county-time';
import { messages, type RundownText } from './messages';
import { WEEKDAYS, type Weekday } from './schedule-plan';
import { layoutTimeline, manages, movedPositions, type Layer, type Rundown, type TimelineEntry } from './timeline';
import { WindowSummary } from './WindowSummary';

/** Layer colours that keep AA contrast with white text. */
export const LAYER_COLOUR: Record<Layer, string> = { county: '#a8071a', township: '#0050b3', village: '#237804' };
export const LAYER_KEY = { county: 'layerCounty', township: 'layerTownship', village: 'layerVillage' } as const;

interface Props {
  rundown: Rundown;
  chain: string[];
  regionName: (code: string) => string | undefined;
  /** The user's scope when they may change the schedule; undefined when they may only read it. */
  manageScope: string | null | undefined;
  onChanged: () => Promise<unknown>;
}

/** One region's slot on one date, as its loudspeakers will air it. */
export function DayView({ rundown, chain, regionName, manageScope, onChanged }: Props) {
  const t = useMessages(messages);
  const timeline = layoutTimeline(rundown);
  const broadcastIds = [...new Set(timeline.entries.map((entry) => entry.broadcastId))];
  const broadcasts = useQueries({
    queries: broadcastIds.map((id) =>
      $api.queryOptions('get', '/api/v1/broadcasts/{id}', { params: { path: { id } } }),
    ),
  });
  const recurrenceOf = (id: string) => broadcasts[broadcastIds.indexOf(id)]?.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <WindowSummary rundown={rundown} />
      <div
        role="img"
        aria-label={t('windowBar', {
          used: duration(timeline.usedMs / 1000),
          remaining: duration(timeline.remainingMs / 1000),
        })}
        style={{ position: 'relative', height: 24, background: '#f0f0f0', borderRadius: 4, overflow: 'hidden' }}
      >
        {timeline.entries.map((entry) => (
          <div
            key={entry.key}
            style={{
              position: 'absolute',
              left: `${entry.leftPct}%`,
              width: `${entry.widthPct}%`,
              top: 0,
              bottom: 0,
              background: LAYER_COLOUR[entry.level],
              borderRight: '1px solid #fff',
            }}
          />
        ))}
      </div>
      {timeline.entries.length === 0 ? (
        <Empty description={t('empty')} />
      ) : (
        <ol aria-label={t('title')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {timeline.entries.map((entry) => {
            const broadcast = recurrenceOf(entry.broadcastId);
            return (
              <EntryRow
                key={entry.key}
                entry={entry}
                layerRegion={regionName(entry.targetCode) ?? entry.targetCode}
                recurrence={broadcast?.recurrence ?? null}
                firstDate={broadcast?.startDate}
                date={rundown.date}
                canChange={manageScope !== undefined && manages(chain, manageScope, entry.targetCode)}
                positions={(by) => movedPositions(timeline.entries, entry.key, by)}
                onChanged={onChanged}
              />
            );
          })}
        </ol>
      )}
    </Space>
  );
}

function EntryRow({
  entry,
  layerRegion,
  recurrence,
  firstDate,
  date,
  canChange,
  positions,
  onChanged,
}: {
  entry: TimelineEntry;
  layerRegion: string;
  recurrence: string | null;
  firstDate: string | undefined;
  date: string;
  canChange: boolean;
  positions: (by: -1 | 1) => ReturnType<typeof movedPositions>;
  onChanged: () => Promise<unknown>;
}) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const notify = useFailureNotice();
  const patch = $api.useMutation('patch', '/api/v1/broadcasts/{id}');
  const remove = $api.useMutation('delete', '/api/v1/broadcasts/{id}');
  const busy = patch.isPending || remove.isPending;
  const id = entry.broadcastId;

  const run = async (change: () => Promise<unknown>, done: string) => {
    try {
      await change();
      void message.success(done);
    } catch (error) {
      notify(error);
    } finally {
      await onChanged();
    }
  };
  const move = (by: -1 | 1) => {
    const order = positions(by);
    if (!order) return;
    void run(async () => {
      // One after another: each change recompiles the playlists it reaches.
      for (const { broadcastId, position } of order)
        await patch.mutateAsync({ params: { path: { id: broadcastId } }, body: { position } });
    }, t('moved'));
  };
  const cancel = () => run(() => remove.mutateAsync({ params: { path: { id } } }), t('cancelled'));
  // A repeat that began before this date can end the day before; on its first date only cancelling is left.
  const stopFrom =
    recurrence && firstDate && firstDate < date
      ? () =>
          run(() => patch.mutateAsync({ params: { path: { id } }, body: { until: addDays(date, -1) } }), t('stopped'))
      : undefined;

  return (
    <li
      style={{
        display: 'flex',
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: 8,
        padding: '8px 0',
        borderBottom: '1px solid #f0f0f0',
      }}
    >
      <Typography.Text strong style={{ fontVariantNumeric: 'tabular-nums', minWidth: 72 }}>
        {countyClock(entry.startsAt, true)}
      </Typography.Text>
      <span style={{ flex: '1 1 160px', minWidth: 0, overflowWrap: 'anywhere' }}>
        {entry.title}
        {entry.segments > 1 && (
          <Typography.Text type="secondary"> · {t('segments', { n: entry.segments })}</Typography.Text>
        )}
      </span>
      <Tag color={LAYER_COLOUR[entry.level]}>
        {t('layerOf', { layer: t(LAYER_KEY[entry.level]), region: layerRegion })}
      </Tag>
      <span style={{ fontVariantNumeric: 'tabular-nums' }}>{duration(entry.durationMs / 1000)}</span>
      {recurrence && <Tag>{t('recurs', { rule: describeRule(recurrence, t) })}</Tag>}
      {canChange && (
        <Space size={4} wrap>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            aria-label={t('moveUp', { title: entry.title })}
            disabled={busy || !positions(-1)}
            onClick={() => move(-1)}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            aria-label={t('moveDown', { title: entry.title })}
            disabled={busy || !positions(1)}
            onClick={() => move(1)}
          />
          {stopFrom && (
            <Popconfirm
              title={t('stopFromTitle', { title: entry.title, date })}
              description={t('stopFromBody', { date })}
              onConfirm={stopFrom}
            >
              <Button size="small" disabled={busy}>
                {t('stopFrom')}
              </Button>
            </Popconfirm>
          )}
          <Popconfirm
            title={t('cancelTitle', { title: entry.title })}
            description={recurrence ? t('cancelAll') : t('cancelOnce')}
            onConfirm={cancel}
          >
            <Button size="small" disabled={busy}>
              {t('cancelBroadcast')}
            </Button>
          </Popconfirm>
        </Space>
      )}
    </li>
  );
}

/** "FREQ=WEEKLY;BYDAY=MO,WE" as an operator says it: 每周 周一、周三. */
function describeRule(rule: string, t: RundownText): string {
  const days = /BYDAY=([A-Z,]+)/.exec(rule)?.[1].split(',') ?? [];
  if (rule.includes('FREQ=DAILY')) return t('daily');
  return [
    t('weekly'),
    days
      .map((day) => (WEEKDAYS.includes(day as Weekday) ? t(day.toLowerCase() as Lowercase<Weekday>) : day))
      .join('、'),
  ].join(' ');
}
