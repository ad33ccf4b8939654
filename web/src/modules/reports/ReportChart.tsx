/** An ECharts chart whose bars can be clicked (the reports' drill-down). */
import { useRef } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { loadECharts, useEChart } from '../../shared/echarts';

// The page that imports this draws charts: ECharts starts travelling now, beside the page's data.
void loadECharts().catch(() => undefined);

/** Under automation only: the chart's div carries its instance, so a browser test can find a bar's pixel (ECharts draws on a canvas). */
const exposeForTests = typeof navigator !== 'undefined' && navigator.webdriver;

export function ReportChart({ option, height = 240, testId, onPick }: { option: EChartsCoreOption; height?: number; testId?: string; onPick?: (dataIndex: number, seriesIndex: number) => void }) {
  const pick = useRef(onPick);
  pick.current = onPick;
  const el = useEChart(option, (c) => {
    c.on('click', (p) => pick.current?.(p.dataIndex, p.seriesIndex ?? 0));
    if (exposeForTests) (c.getDom() as HTMLElement & { kesuChart?: ECharts }).kesuChart = c;
  });
  return <div ref={el} style={{ width: '100%', height, cursor: onPick ? 'pointer' : undefined }} data-testid={testId} />;
}
