/** An ECharts chart whose bars can be clicked (the reports' drill-down). */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const animate = typeof navigator === 'undefined' || !navigator.webdriver;

export function ReportChart({ option, height = 240, testId, onPick }: { option: echarts.EChartsCoreOption; height?: number; testId?: string; onPick?: (dataIndex: number, seriesIndex: number) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => pick.current?.(p.dataIndex, p.seriesIndex ?? 0));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: animate, ...option }, true);
  }, [option]);
  return <div ref={el} style={{ width: '100%', height, cursor: onPick ? 'pointer' : undefined }} data-testid={testId} />;
}
