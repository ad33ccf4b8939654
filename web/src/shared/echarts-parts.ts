/**
 * The parts of ECharts the console draws with, registered once. Only shared/echarts.ts imports
 * this module, and only dynamically: ECharts (the largest library of the console) travels when a
 * chart is first drawn, not with the pages around it (issue 14).
 */
import { init, use } from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { init };
