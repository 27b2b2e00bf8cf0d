import { Col, Row } from 'antd';
import { useMemo } from 'react';
import { EChart } from '../../components/echart';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { type AssessedChild, chartPercent, RATES, rankingBars, rankingSummary, rateOf, ratesSummary } from './figures';
import { messages } from './messages';

const BAR_HEIGHT = 32;
const CHROME_HEIGHT = 64;
// Dark enough for white labels on them (WCAG AA), and told apart by the legend's words too.
const RATE_COLOUR = { broadcast: '#1d4e89', loudspeakers: '#237804', orders: '#ad4e00', satisfaction: '#531dab' };

const axes = (categories: string[], top: number) => ({
  grid: { left: 8, right: 40, top, bottom: 8, containLabel: true },
  xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
  yAxis: { type: 'category', data: categories, inverse: true, axisLabel: { width: 110, overflow: 'truncate' } },
});

/** The regions below, ranked by score, and their four rates side by side; every bar carries its figure. */
export function AssessmentCharts({ children }: { children: AssessedChild[] }) {
  const t = useMessages(messages);
  const ranking = useMemo(() => {
    const bars = rankingBars(children);
    return {
      height: CHROME_HEIGHT - 24 + BAR_HEIGHT * Math.max(1, bars.categories.length),
      option: {
        animation: false,
        ...axes(bars.categories, 8),
        series: [
          {
            type: 'bar',
            name: t('score'),
            data: bars.values,
            itemStyle: { color: RATE_COLOUR.broadcast },
            label: { show: true, position: 'right', formatter: '{c}%' },
          },
        ],
      },
    };
  }, [children, t]);
  const rates = useMemo(() => {
    const categories = children.map((child) => child.region.name);
    return {
      height: CHROME_HEIGHT + BAR_HEIGHT * 2 * Math.max(1, categories.length),
      option: {
        animation: false,
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, triggerOn: 'click' },
        ...axes(categories, 32),
        series: RATES.map((rate) => ({
          type: 'bar',
          name: t(rate),
          data: children.map((child) => chartPercent(rateOf(child.figures, rate))),
          itemStyle: { color: RATE_COLOUR[rate] },
        })),
      },
    };
  }, [children, t]);
  const names = {
    broadcast: t('broadcast'),
    loudspeakers: t('loudspeakers'),
    orders: t('orders'),
    satisfaction: t('satisfaction'),
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <SectionCard title={t('ranking')}>
          <EChart
            option={ranking.option}
            height={ranking.height}
            summary={t('rankingChart', { summary: rankingSummary(children) || t('noScore') })}
          />
        </SectionCard>
      </Col>
      <Col xs={24} xl={12}>
        <SectionCard title={t('rates')}>
          <EChart
            option={rates.option}
            height={rates.height}
            summary={t('ratesChart', { summary: ratesSummary(children, names) })}
          />
        </SectionCard>
      </Col>
    </Row>
  );
}
