/** One ECharts chart (ECharts itself is its own chunk, loaded once a page with charts runs: shared/echarts.ts). */
import type { EChartsCoreOption } from 'echarts/core';
import { loadECharts, useEChart } from './echarts';

// The page that imports this draws charts: ECharts starts travelling now, beside the page's data.
void loadECharts().catch(() => undefined);

export function EChart({ option, height = 240, testId }: { option: EChartsCoreOption; height?: number; testId?: string }) {
  const el = useEChart(option);
  return <div ref={el} style={{ width: '100%', height }} data-testid={testId} />;
}
