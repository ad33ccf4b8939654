/**
 * The process as a flowchart (003 规范7), drawn from the lifecycle table the server publishes:
 * states are nodes, people's actions are edges. The case's current state is highlighted and the
 * states it has passed through are tinted.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lifecycle, Schemas } from '../../api/client';
import { EChart } from '../../shared/EChart';
import { pick } from '../../i18n';

const POS: Record<string, [number, number]> = {
  received: [0, 0], valid: [1, 0], classified: [2, 0], assigned: [3, 0], investigating: [4, 0], investigated: [5, 0], awaiting_approval: [6, 0],
  invalid: [0, 2], pending: [3.5, 1], implementing: [6, 2], answered: [5, 2], followed_up: [4, 2], closed: [2, 2], archived: [1, 2],
};

export function Flowchart({ lifecycle, kind = 'complaint', current, visited = [], height = 260 }: { lifecycle: Lifecycle | null; kind?: Schemas['Kind']; current?: string; visited?: string[]; height?: number }) {
  const { t, i18n } = useTranslation();
  const option = useMemo(() => {
    if (!lifecycle) return {};
    const edges = new Map<string, { source: string; target: string; labels: string[] }>();
    const used = new Set<string>();
    for (const a of lifecycle.actions) {
      if (a.system) continue;
      for (const from of a.from[kind] ?? []) {
        for (const to of a.targets) {
          if (to === from) continue;
          // Resuming a pending item may return to any active state: draw one edge back.
          if (a.name === 'resume' && to !== 'investigating') continue;
          const key = `${from}>${to}`;
          const e = edges.get(key) ?? { source: from, target: to, labels: [] as string[] };
          e.labels.push(pick(a.label));
          edges.set(key, e);
          used.add(from).add(to);
        }
      }
    }
    if (kind !== 'complaint' || used.size === 0) used.add('received');
    const nodes = lifecycle.states
      .filter((s) => used.has(s))
      .map((s) => {
        const [x, y] = POS[s] ?? [0, 3];
        const isCurrent = s === current;
        const seen = visited.includes(s);
        return {
          name: s,
          value: t(`state.${s}`),
          x: x * 120,
          y: y * 70,
          symbol: 'roundRect',
          symbolSize: isCurrent ? [96, 34] : [84, 28],
          label: { show: true, formatter: t(`state.${s}`), color: isCurrent ? '#fff' : '#222', fontWeight: isCurrent ? 'bold' : 'normal', fontSize: 12 },
          itemStyle: { color: isCurrent ? '#f5222d' : seen ? '#bae0ff' : '#f0f0f0', borderColor: isCurrent ? '#a8071a' : '#8c8c8c', borderWidth: 1 },
        };
      });
    return {
      tooltip: { formatter: (p: { dataType: string; data: { value?: string; labels?: string[] } }) => (p.dataType === 'edge' ? (p.data.labels ?? []).join(' / ') : (p.data.value ?? '')) },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: false,
          top: 24,
          bottom: 24,
          left: 56,
          right: 56,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 7,
          data: nodes,
          links: [...edges.values()].map((e) => ({
            source: e.source,
            target: e.target,
            labels: e.labels,
            lineStyle: { color: e.source === current ? '#f5222d' : '#999', width: e.source === current ? 2 : 1, curveness: e.target === 'pending' || e.source === 'pending' || e.target === 'investigating' ? 0.25 : 0.05 },
          })),
        },
      ],
    };
    // i18n.language: labels change with the language.
  }, [lifecycle, kind, current, visited, t, i18n.language]);
  return <EChart option={option} height={height} testId="flowchart" />;
}
