import { useMemo } from 'react';
import { EChart } from '../../components/echart';

export interface StackedBars {
  categories: string[];
  series: Array<{ name: string; color: string; values: number[] }>;
}

const BAR_HEIGHT = 36;
const CHROME_HEIGHT = 72;

/**
 * Horizontal stacked bars with each segment's count printed on it, so nothing
 * needs a hover to be read on a phone. `summary` is what a screen reader hears.
 */
export function StackedBarChart({ data, summary }: { data: StackedBars; summary: string }) {
  const option = useMemo(
    () => ({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, triggerOn: 'click' },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: data.categories,
        inverse: true,
        axisLabel: { width: 120, overflow: 'truncate' },
      },
      series: data.series.map((series) => ({
        type: 'bar',
        stack: 'outcome',
        name: series.name,
        data: series.values,
        itemStyle: { color: series.color },
        label: {
          show: true,
          color: '#fff',
          formatter: ({ value }: { value: number }) => (value ? String(value) : ''),
        },
      })),
    }),
    [data],
  );
  return (
    <EChart
      option={option}
      summary={summary}
      height={CHROME_HEIGHT + BAR_HEIGHT * Math.max(1, data.categories.length)}
    />
  );
}
