import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what this chart draws, so the Today page's chunk carries a fraction of ECharts
// (and the sign-in page none of it: this file is reached only through the lazy page).
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

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
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current!;
    const instance = echarts.init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
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
      },
      { notMerge: true },
    );
  }, [data]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={summary}
      style={{ width: '100%', height: CHROME_HEIGHT + BAR_HEIGHT * Math.max(1, data.categories.length) }}
    />
  );
}
