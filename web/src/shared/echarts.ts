/**
 * One ECharts chart in a div, for EChart and ReportChart. ECharts is a chunk of its own
 * (echarts-parts.ts), asked for when a page with charts runs, beside the page's data: the page
 * shows its numbers and tables while the charting library still travels, and pages without
 * charts never load it.
 */
import { useEffect, useRef } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';

let loading: Promise<typeof import('./echarts-parts')> | null = null;
/** Starts loading ECharts (a page with charts calls it when its chunk runs, beside its API requests). */
export function loadECharts() {
  loading ??= import('./echarts-parts');
  loading.catch(() => (loading = null)); // the next chart asks again
  return loading;
}

/** No animation under automation (browser tests take stable screenshots). */
const animate = typeof navigator === 'undefined' || !navigator.webdriver;

/** A ref for the chart's div; `setup` runs once on the new chart (event handlers). */
export function useEChart(option: EChartsCoreOption, setup?: (chart: ECharts) => void) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // The option and setup of the latest render, for a chart that appears after they were given.
  const latest = useRef(option);
  latest.current = option;
  const setupRef = useRef(setup);
  setupRef.current = setup;
  useEffect(() => {
    let disposed = false;
    let ro: ResizeObserver | undefined;
    let c: ECharts | undefined;
    loadECharts()
      .then(({ init }) => {
        if (disposed || !el.current) return;
        c = init(el.current, undefined, { renderer: 'canvas' });
        chart.current = c;
        setupRef.current?.(c);
        c.setOption({ animation: animate, ...latest.current }, true);
        ro = new ResizeObserver(() => c?.resize());
        ro.observe(el.current);
      })
      .catch(() => undefined); // no chart: the page's figures and tables stay readable
    return () => {
      disposed = true;
      ro?.disconnect();
      c?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: animate, ...option }, true);
  }, [option]);
  return el;
}
