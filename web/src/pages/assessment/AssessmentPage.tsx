import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Space, Statistic, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { PageLoading } from '../../components/page-loading';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useRootRegions } from '../../components/regions/regions';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { countyDate } from '../../time/county-time';
import { AssessmentCharts } from './AssessmentCharts';
import { ChildrenTable } from './ChildrenTable';
import { type Assessment, chartPercent } from './figures';
import { messages } from './messages';
import { periodHolding, periodText } from './period';
import { PeriodPicker } from './PeriodPicker';

/**
 * The assessment (考核) of a county, township or village over a month,
 * quarter, half-year or year: the headline figures, the regions below ranked
 * by score, charts, a table, and the same figures to download.
 */
export default function AssessmentPage() {
  const t = useMessages(messages);
  const roots = useRootRegions();
  const [chosen, setChosen] = useState<string>();
  const [period, setPeriod] = useState(() => periodHolding(countyDate(), 'month'));
  const region = chosen ?? roots.data?.[0]?.code;
  const query = { region: region ?? '', period: periodText(period) };
  const assessment = $api.useQuery('get', '/api/v1/assessments', { params: { query } }, { enabled: !!region });

  if (roots.error) return <FailureAlert error={roots.error} />;
  if (roots.isPending) return <PageLoading />;
  if (!region) return <Empty description={t('noRegions')} />;
  const download = (format: 'csv' | 'xlsx') => `/api/v1/assessments?${new URLSearchParams({ ...query, format })}`;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {assessment.data ? t('headline', { name: assessment.data.region.name, period: query.period }) : t('title')}
      </Typography.Title>
      <Space wrap align="center">
        <Space align="center">
          <label htmlFor="assessment-region">{t('region')}</label>
          <div style={{ width: 200, maxWidth: '60vw' }}>
            <RegionPicker
              id="assessment-region"
              value={region}
              onChange={(code) => typeof code === 'string' && setChosen(code)}
            />
          </div>
        </Space>
        <PeriodPicker value={period} onChange={setPeriod} />
        <Button href={download('csv')} download icon={<DownloadOutlined />}>
          {t('downloadCsv')}
        </Button>
        <Button href={download('xlsx')} download icon={<DownloadOutlined />}>
          {t('downloadXlsx')}
        </Button>
      </Space>
      <FailureAlert error={assessment.error} />
      {assessment.isPending && <PageLoading />}
      {assessment.data && <AssessmentView assessment={assessment.data} />}
    </Space>
  );
}

function AssessmentView({ assessment }: { assessment: Assessment }) {
  const t = useMessages(messages);
  const { figures: f, period, children } = assessment;
  // Rounded to a tenth of a percent first: antd's precision cuts digits off (41.69999… would show as 41.6).
  const rate = (value: number | null) =>
    value === null ? { value: '—' } : { value: chartPercent(value)!, precision: 1, suffix: '%' };
  const headline: Array<{
    title: string;
    value: { value: number | string; precision?: number; suffix?: string };
    detail?: string;
  }> = [
    { title: t('score'), value: rate(f.score), detail: t('scoreDetail') },
    {
      title: t('broadcast'),
      value: rate(f.broadcast.rate),
      detail: t('broadcastDetail', { aired: f.broadcast.airedDays, scheduled: f.broadcast.scheduledDays }),
    },
    {
      title: t('loudspeakers'),
      value: rate(f.loudspeakers.rate),
      detail: t('loudspeakersDetail', { reached: f.loudspeakers.reached, expected: f.loudspeakers.expected }),
    },
    {
      title: t('orders'),
      value: rate(f.orders.rate),
      detail: t('ordersDetail', { onTime: f.orders.onTime, orders: f.orders.orders }),
    },
    {
      title: t('satisfaction'),
      value: rate(f.satisfaction.rate),
      detail: t('satisfactionDetail', {
        excellent: f.satisfaction.excellent,
        satisfied: f.satisfaction.satisfied,
        unsatisfied: f.satisfaction.unsatisfied,
      }),
    },
    { title: t('sessions'), value: { value: f.sessions.sessions } },
    { title: t('sessionHours'), value: { value: f.sessions.hours, precision: 1 } },
    { title: t('participations'), value: { value: f.volunteers.participations } },
    { title: t('volunteers'), value: { value: f.volunteers.volunteers } },
    { title: t('volunteerHours'), value: { value: f.volunteers.hours, precision: 1 } },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Muted>{t('span', { first: period.first, last: period.last })}</Muted>
      <Row gutter={[12, 12]}>
        {headline.map(({ title, value, detail }) => (
          <Col xs={12} md={8} xl={4} key={title}>
            {/* Named by its title, so the figure can be found by what it is. */}
            <Card size="small" role="group" aria-label={title} style={{ height: '100%' }}>
              <Statistic title={title} {...value} />
              {detail && <Muted>{detail}</Muted>}
            </Card>
          </Col>
        ))}
      </Row>
      {assessment.region.level === 'village' ? (
        <Empty description={t('noChildren')} />
      ) : (
        <>
          <AssessmentCharts children={children} />
          <SectionCard title={t(assessment.region.level === 'county' ? 'rankingTownships' : 'rankingVillages')}>
            <ChildrenTable children={children} />
          </SectionCard>
        </>
      )}
    </Space>
  );
}
