import { Card, Col, Empty, Row, Space, Statistic } from 'antd';
import { useMemo } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { addDays, countyClock, countyDate } from '../../time/county-time';
import { coverageBars, coverageTotals, type Outcome, OUTCOMES } from './coverage';
import { StackedBarChart } from './CoverageChart';
import { messages } from './messages';

/** Late receipts (devices that aired offline) arrive until the next noon: a minute is fresh enough. */
const COVERAGE_POLL_MS = 60_000;

// The same tones as the status tags: white labels on them stay legible.
const OUTCOME_COLOUR: Record<Outcome, string> = {
  played: '#237804',
  interrupted: '#ad4e00',
  failed: '#a8071a',
  missed: '#595959',
};

/** Yesterday's broadcasts in the region: how many loudspeakers played, failed or never reported each. */
export function CoverageCard({ regionCode }: { regionCode: string }) {
  const t = useMessages(messages);
  const yesterday = addDays(countyDate(), -1);
  const coverage = $api.useQuery(
    'get',
    '/api/v1/regions/{code}/coverage',
    { params: { path: { code: regionCode }, query: { date: yesterday } } },
    { refetchInterval: COVERAGE_POLL_MS },
  );
  const data = coverage.data;
  const totals = data ? coverageTotals(data) : null;
  const chart = useMemo(() => {
    if (!data) return null;
    const bars = coverageBars(data, (iso) => countyClock(iso));
    return {
      categories: bars.map((bar) => bar.label),
      series: OUTCOMES.map((outcome, index) => ({
        name: t(outcome),
        color: OUTCOME_COLOUR[outcome],
        values: bars.map((bar) => bar.counts[index]),
      })),
    };
  }, [data, t]);
  const summary = chart
    ? chart.categories
        .map((label, row) => `${label}: ${chart.series.map((s) => `${s.name} ${s.values[row]}`).join('，')}`)
        .join('；')
    : '';

  return (
    <Card title={t('coverageTitle', { date: yesterday })} loading={coverage.isPending}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <FailureAlert error={coverage.error} />
        {totals && (
          <Row gutter={[16, 16]}>
            {OUTCOMES.map((outcome) => (
              <Col xs={12} sm={6} key={outcome}>
                <Statistic title={t(outcome)} value={totals[outcome]} />
              </Col>
            ))}
          </Row>
        )}
        {chart &&
          (chart.categories.length ? (
            <StackedBarChart data={chart} summary={t('coverageChart', { summary })} />
          ) : (
            <Empty description={t('noBroadcasts')} />
          ))}
      </Space>
    </Card>
  );
}
