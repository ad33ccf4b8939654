/** An ECharts chart whose bars can be clicked (the reports' drill-down). */
import { useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { loadECharts, useEChart } from '../../shared/echarts';

// The page that imports this draws charts: ECharts starts travelling now, beside the page's data.
void loadECharts().catch(() => undefined);

export function ReportChart({ option, height = 240, testId, onPick }: { option: EChartsCoreOption; height?: number; testId?: string; onPick?: (dataIndex: number, seriesIndex: number) => void }) {
  const pick = useRef(onPick);
  pick.current = onPick;
  const el = useEChart(option, (c) => c.on('click', (p) => pick.current?.(p.dataIndex, p.seriesIndex ?? 0)));
  return <div ref={el} style={{ width: '100%', height, cursor: onPick ? 'pointer' : undefined }} data-testid={testId} />;
}
