import { Alert, App, Button, Checkbox, DatePicker, Form, Modal, Radio, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useMessages } from '../../i18n/i18n';
import { countyDate, duration } from '../../time/county-time';
import { messages } from './messages';
import { mergeOverflows, visibleOverflows } from './overflow';
import { broadcastBody, planAirsOn, type SchedulePlan, WEEKDAYS, type Weekday, weekdayOf } from './schedule-plan';
import type { Rundown } from './timeline';

interface Values {
  programmeId?: string;
  regionCodes?: string | string[];
  repeat: SchedulePlan['repeat'];
  date?: Dayjs;
  until?: Dayjs;
  weekdays?: Weekday[];
  place: SchedulePlan['place'];
}

const DATE = 'YYYY-MM-DD';
// A calendar date string both ways: dayjs only carries it, no zone conversion happens.
const day = (value: Dayjs | undefined) => value?.format(DATE) ?? '';

/**
 * Put a programme into the slot once or on a repeat. What would overflow is
 * said before saving, from the rundowns on screen at once and from the
 * server's dry run (which also sees the villages under a target and every date
 * a repeat airs), and saving stays off until it fits.
 */
export function ScheduleForm({
  open,
  onClose,
  regionCode,
  date,
  slot,
  chain,
  regionName,
  rundowns,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  regionCode: string;
  date: string;
  slot: string;
  chain: string[];
  regionName: (code: string) => string | undefined;
  rundowns: Rundown[];
  onSaved: () => Promise<unknown>;
}) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Values | undefined;
  const programmes = $api.useQuery(
    'get',
    '/api/v1/programmes',
    { params: { query: { limit: 500 } } },
    { enabled: open },
  );
  const create = $api.useMutation('post', '/api/v1/broadcasts');

  const plan: SchedulePlan = {
    programmeId: values?.programmeId ?? '',
    regionCodes: [values?.regionCodes ?? []].flat(),
    repeat: values?.repeat ?? 'once',
    date: day(values?.date),
    until: values?.until ? day(values.until) : undefined,
    weekdays: values?.weekdays ?? [],
    place: values?.place ?? 'last',
    slot,
  };
  const body = open ? broadcastBody(plan) : null;
  const programme = programmes.data?.items.find((item) => item.id === plan.programmeId);
  const check = $api.useQuery('post', '/api/v1/broadcasts/check', { body: body! }, { enabled: !!body, staleTime: 0 });
  const seen = programme
    ? visibleOverflows({
        chain,
        targets: plan.regionCodes,
        rundowns,
        airsOn: (on) => planAirsOn(plan, on),
        candidateMs: programme.durationMs,
      })
    : [];
  const overflows = mergeOverflows(seen, check.data?.overflows ?? []);
  const checking = !!body && check.isFetching && !check.data;
  const canSave = !!body && !checking && !check.error && overflows.length === 0 && !create.isPending;
  const viewed = rundowns.find((rundown) => rundown.date === plan.date);
  const reachesViewed = plan.regionCodes.some((code) => chain.includes(code));

  const save = async () => {
    if (!body) return;
    try {
      await create.mutateAsync({ body });
      void message.success(t('saved', { title: programme?.title ?? '' }));
      await onSaved();
      onClose();
    } catch {
      // Shown in the form by <FailureAlert error={create.error}>; the rundown may have changed, so look again.
      await onSaved();
    }
  };

  return (
    <Modal
      open={open}
      title={t('schedule')}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (visible) create.reset();
      }}
      footer={
        <Button type="primary" disabled={!canSave} loading={create.isPending} onClick={() => void save()}>
          {t('schedule')}
        </Button>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          regionCodes: [regionCode],
          repeat: 'once',
          date: dayjs(date, DATE),
          weekdays: [WEEKDAYS[weekdayOf(date)]],
          place: 'last',
        }}
      >
        <Form.Item name="programmeId" label={t('programme')} rules={[{ required: true }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('pickProgramme')}
            loading={programmes.isPending}
            options={programmes.data?.items.map((item) => ({
              value: item.id,
              label: t('programmeOption', { title: item.title, length: duration(item.durationMs / 1000) }),
            }))}
          />
        </Form.Item>
        <Form.Item name="regionCodes" label={t('targets')} rules={[{ required: true }]}>
          <RegionPicker multiple />
        </Form.Item>
        <Form.Item name="repeat" label={t('repeat')}>
          <Radio.Group
            options={[
              { value: 'once', label: t('once') },
              { value: 'daily', label: t('daily') },
              { value: 'weekly', label: t('weekly') },
            ]}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="date"
            label={plan.repeat === 'once' ? t('onDate') : t('firstDate')}
            rules={[{ required: true }]}
          >
            <DatePicker disabledDate={(value) => day(value) < countyDate()} allowClear={false} />
          </Form.Item>
          {plan.repeat !== 'once' && (
            <Form.Item name="until" label={t('until')}>
              <DatePicker disabledDate={(value) => day(value) < (plan.date || countyDate())} />
            </Form.Item>
          )}
        </Space>
        {plan.repeat === 'weekly' && (
          <Form.Item name="weekdays" label={t('weekdays')} rules={[{ required: true }]}>
            <Checkbox.Group
              options={WEEKDAYS.map((code) => ({ value: code, label: t(code.toLowerCase() as Lowercase<Weekday>) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="place" label={t('place')}>
          <Radio.Group
            options={[
              { value: 'last', label: t('placeLast') },
              { value: 'first', label: t('placeFirst') },
            ]}
          />
        </Form.Item>
      </Form>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {checking && <Typography.Text type="secondary">{t('checking')}</Typography.Text>}
        {overflows.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('overflowTitle')}
            description={
              <div>
                {overflows.map((over) => (
                  <div key={`${over.regionCode}@${over.date}`}>
                    {t('overflowLine', {
                      region: regionName(over.regionCode) ?? over.regionCode,
                      date: over.date,
                      seconds: over.overSeconds,
                    })}
                  </div>
                ))}
                {viewed && programme && seen.length > 0 && (
                  <div>
                    {t('overflowDetail', {
                      window: duration(viewed.slot.windowMinutes * 60),
                      used: duration(viewed.totalMs / 1000),
                      length: duration(programme.durationMs / 1000),
                    })}
                  </div>
                )}
                <div>{t('overflowAction')}</div>
              </div>
            }
          />
        )}
        {overflows.length === 0 && viewed && programme && check.data?.fits && reachesViewed && (
          <Alert
            type="success"
            showIcon
            title={t('fits', {
              region: regionName(viewed.regionCode) ?? viewed.regionCode,
              date: viewed.date,
              remaining: duration(Math.max(0, viewed.remainingMs - programme.durationMs) / 1000),
            })}
          />
        )}
        <FailureAlert error={check.error} regionName={regionName} />
        <FailureAlert error={create.error} regionName={regionName} />
      </Space>
    </Modal>
  );
}
