import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Flex, Grid, Segmented, Select, Skeleton, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { FailureAlert } from '../../components/failure';
import { RegionPicker, RegionTree } from '../../components/regions/RegionTree';
import { useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { addDays, countyDate } from '../../time/county-time';
import { DayView } from './DayView';
import { messages } from './messages';
import { ScheduleForm } from './ScheduleForm';
import type { Rundown } from './timeline';
import { useRefreshSchedule, useRegionChain, useRundown, useSlots, useWeekRundowns } from './use-rundown';
import { WeekView } from './WeekView';

const DATE = 'YYYY-MM-DD';

/**
 * The 17:30 rundown of one region on one date (or seven), as its loudspeakers
 * will air it, and the place to schedule, reorder and cancel. The region, date
 * and view live in the address, so a reload or a shared link shows the same.
 */
export default function RundownPage() {
  const t = useMessages(messages);
  const { user, can } = useSession();
  const phone = !Grid.useBreakpoint().md;
  const roots = useRootRegions();
  const [params, setParams] = useSearchParams();
  const regionCode = params.get('region') ?? user?.scopeCode ?? roots.data?.[0]?.code;
  const date = params.get('date') ?? countyDate();
  const view = params.get('view') === 'week' ? 'week' : 'day';
  const [formOpen, setFormOpen] = useState(false);
  const change = (next: Record<string, string>) =>
    setParams((current) => ({ ...Object.fromEntries(current), ...next }));

  const { chain, countyCode, name: regionName, region } = useRegionChain(regionCode);
  const slots = useSlots(countyCode);
  const slot = params.get('slot') ?? slots.data?.items[0]?.name ?? 'evening';
  const day = useRundown(regionCode, date, slot);
  const week = useWeekRundowns(regionCode, date, slot, view === 'week' || formOpen);
  const refresh = useRefreshSchedule();
  const manageScope = can('schedule.manage') ? (user?.scopeCode ?? null) : undefined;
  const loaded = [day.data, ...week.results.map((result) => result.data)].filter(
    (rundown): rundown is Rundown => !!rundown,
  );

  const controls = (
    <Flex wrap gap={8} align="end">
      {phone && (
        <label style={{ flex: '1 1 100%' }}>
          <div>{t('region')}</div>
          <RegionPicker
            value={regionCode}
            onChange={(code) => change({ region: String(code) })}
            placeholder={t('pickRegion')}
          />
        </label>
      )}
      <label>
        <div>{t('date')}</div>
        <DatePicker
          value={dayjs(date, DATE)}
          allowClear={false}
          onChange={(value) => value && change({ date: value.format(DATE) })}
        />
      </label>
      {(slots.data?.items.length ?? 0) > 1 && (
        <label>
          <div>{t('slot')}</div>
          <Select
            value={slot}
            style={{ minWidth: 120 }}
            onChange={(name) => change({ slot: name })}
            options={slots.data?.items.map((item) => ({ value: item.name, label: `${item.name} ${item.start}` }))}
          />
        </label>
      )}
      <Segmented
        value={view}
        onChange={(next) => change({ view: String(next) })}
        options={[
          { value: 'day', label: t('dayView') },
          { value: 'week', label: t('weekView') },
        ]}
      />
      {manageScope !== undefined && regionCode && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormOpen(true)}>
          {t('schedule')}
        </Button>
      )}
    </Flex>
  );

  const content =
    view === 'week' ? (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space>
          <Button icon={<LeftOutlined />} onClick={() => change({ date: addDays(date, -7) })}>
            {t('prevWeek')}
          </Button>
          <Button icon={<RightOutlined />} iconPlacement="end" onClick={() => change({ date: addDays(date, 7) })}>
            {t('nextWeek')}
          </Button>
        </Space>
        <WeekView week={week} onOpenDate={(next) => change({ date: next, view: 'day' })} />
      </Space>
    ) : day.error ? (
      <FailureAlert error={day.error} regionName={regionName} />
    ) : day.data ? (
      <DayView rundown={day.data} chain={chain} regionName={regionName} manageScope={manageScope} onChanged={refresh} />
    ) : (
      <Skeleton active />
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('title')}
        {region && <Typography.Text type="secondary"> · {region.name}</Typography.Text>}
      </Typography.Title>
      {controls}
      <Flex gap={16} align="start">
        {!phone && (
          <Card size="small" title={t('region')} style={{ width: 260, flex: 'none' }}>
            <RegionTree selected={regionCode} onSelect={(code) => change({ region: code })} />
          </Card>
        )}
        <div style={{ flex: 1, minWidth: 0 }}>{content}</div>
      </Flex>
      {regionCode && (
        <ScheduleForm
          open={formOpen}
          onClose={() => setFormOpen(false)}
          regionCode={regionCode}
          date={date < countyDate() ? countyDate() : date}
          slot={slot}
          chain={chain}
          regionName={regionName}
          rundowns={loaded}
          onSaved={refresh}
        />
      )}
    </Space>
  );
}
