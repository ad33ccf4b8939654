/**
 * The process as a flowchart (003 规范7), drawn from the lifecycle table the server publishes
 * (layout: flow-layout.ts): stage bands top to bottom, the main path straight down, every edge
 * labelled with its actions, back-edges routed around on the right. The case's current state is
 * highlighted and the states it has passed through are tinted. On a phone the same graph is a
 * list: each state with the actions that lead on from it.
 */
import { Grid, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lifecycle, Schemas } from '../../api/client';
import { pick } from '../../i18n';
import { layoutFlow, stageOf, type FlowLayout } from './flow-layout';

const CURRENT = '#cf1322';
const VISITED = '#bae0ff';

export function Flowchart({ lifecycle, kind = 'complaint', current, visited = [] }: { lifecycle: Lifecycle | null; kind?: Schemas['Kind']; current?: string; visited?: string[]; height?: number }) {
  const { t, i18n } = useTranslation();
  const wide = Grid.useBreakpoint().md ?? true;
  const flow = useMemo(() => (lifecycle ? layoutFlow(lifecycle, kind) : null), [lifecycle, kind]);
  const label = useMemo(() => {
    const byName = new Map((lifecycle?.actions ?? []).map((a) => [a.name, pick(a.label)]));
    return (names: string[]) => names.map((n) => byName.get(n) ?? n).join(' / ');
    // i18n.language: labels change with the language.
  }, [lifecycle, i18n.language]);
  if (!flow) return null;
  return wide ? <Chart flow={flow} label={label} current={current} visited={visited} /> : <List flow={flow} label={label} current={current} visited={visited} />;
  function Chart({ flow, label, current, visited }: { flow: FlowLayout; label: (a: string[]) => string; current?: string; visited: string[] }) {
    return (
      <div style={{ overflowX: 'auto' }} data-testid="flowchart">
        <svg width={flow.width} height={flow.height} role="img" aria-label={t('flow.title')} style={{ display: 'block', fontFamily: 'inherit' }}>
          <defs>
            <marker id="kesu-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#8c8c8c" />
            </marker>
            <marker id="kesu-arrow-back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#d46b08" />
            </marker>
          </defs>
          {flow.bands.map((b, i) => (
            <g key={b.stage + b.y}>
              <rect x={0} y={b.y} width={flow.width} height={b.h} fill={i % 2 ? '#fafafa' : '#fff'} />
              <text x={8} y={b.y + 20} fontSize={12} fill="#595959" fontWeight={600}>
                {t(`flow.stage.${b.stage}`)}
              </text>
            </g>
          ))}
          {flow.groups.map((g) => (
            <rect key={g.states.join()} x={g.x} y={g.y} width={g.w} height={g.h} rx={6} fill="none" stroke="#adc6ff" strokeDasharray="4 3" />
          ))}
          {flow.edges.map((e) => {
            const isBack = e.kind === 'back';
            const hot = e.from === current;
            return (
              <g key={`${e.from}>${e.to}:${e.actions.join()}`} data-testid="flow-edge" data-from={e.from} data-to={e.to}>
                <polyline
                  points={e.points.map((p) => p.join(',')).join(' ')}
                  fill="none"
                  stroke={hot ? CURRENT : isBack ? '#d46b08' : '#8c8c8c'}
                  strokeWidth={hot ? 2 : 1.2}
                  strokeDasharray={isBack ? '5 3' : undefined}
                  markerEnd={`url(#${isBack ? 'kesu-arrow-back' : 'kesu-arrow'})`}
                />
                <text x={e.label[0]} y={e.label[1]} fontSize={11} textAnchor={e.anchor} fill={hot ? CURRENT : isBack ? '#ad4e00' : '#434343'} paintOrder="stroke" stroke="#fff" strokeWidth={3}>
                  {label(e.actions)}
                </text>
              </g>
            );
          })}
          {flow.nodes.map((n) => {
            const isCurrent = n.state === current;
            const seen = visited.includes(n.state);
            return (
              <g key={n.state} data-testid="flow-node" data-state={n.state} data-current={isCurrent || undefined} data-visited={(seen && !isCurrent) || undefined} aria-current={isCurrent ? 'step' : undefined}>
                <rect x={n.x} y={n.y} width={n.w} height={n.h} rx={6} fill={isCurrent ? CURRENT : seen ? VISITED : '#f5f5f5'} stroke={isCurrent ? '#820014' : '#8c8c8c'} strokeWidth={isCurrent ? 2 : 1} />
                <text x={n.x + n.w / 2} y={n.y + n.h / 2 + 4} fontSize={12} textAnchor="middle" fill={isCurrent ? '#fff' : '#1f1f1f'} fontWeight={isCurrent ? 700 : 400}>
                  {t(`state.${n.state}`)}
                </text>
              </g>
            );
          })}
        </svg>
        <InPlace flow={flow} label={label} />
      </div>
    );
  }

  function InPlace({ flow, label }: { flow: FlowLayout; label: (a: string[]) => string }) {
    if (!flow.inPlace.length) return null;
    return (
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 8px' }} data-testid="flow-in-place">
        {t('flow.inPlace')}{' '}
        {flow.inPlace
          .map((p) => t('flow.inPlaceItem', { action: label([p.action]), states: p.states.length > 4 ? t('flow.manyStates', { count: p.states.length }) : p.states.map((s) => t(`state.${s}`)).join(t('flow.sep')) }))
          .join(t('flow.itemSep'))}
      </Typography.Paragraph>
    );
  }

  function List({ flow, label, current, visited }: { flow: FlowLayout; label: (a: string[]) => string; current?: string; visited: string[] }) {
    let lastStage: string | undefined;
    return (
      <div data-testid="flowchart" data-form="list">
        <ol style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {flow.order.map((s) => {
            const stage = stageOf(s);
            const header = stage && stage !== lastStage ? ((lastStage = stage), t(`flow.stage.${stage}`)) : null;
            const outs = flow.edges.filter((e) => e.from === s || (e.kind === 'group' && e.from.split('|').includes(s)));
            const isCurrent = s === current;
            return (
              <li key={s} data-testid="flow-node" data-state={s} data-current={isCurrent || undefined} data-visited={(visited.includes(s) && !isCurrent) || undefined} aria-current={isCurrent ? 'step' : undefined}>
                {header && (
                  <Typography.Text strong style={{ display: 'block', marginTop: 8, color: '#595959' }}>
                    {header}
                  </Typography.Text>
                )}
                <div style={{ padding: '4px 8px', margin: '2px 0', borderLeft: `3px solid ${isCurrent ? CURRENT : visited.includes(s) ? '#69b1ff' : '#d9d9d9'}`, background: isCurrent ? '#fff1f0' : undefined }}>
                  <Tag color={isCurrent ? 'red' : visited.includes(s) ? 'blue' : undefined}>{t(`state.${s}`)}</Tag>
                  {outs.map((e) => (
                    <div key={e.to + e.actions.join()} style={{ fontSize: 12, paddingLeft: 8 }}>
                      {label(e.actions)} → {e.to.split('|').length > 1 ? t('flow.back') : t(`state.${e.to}`)}
                      {e.kind === 'back' && <Typography.Text type="warning"> ↩</Typography.Text>}
                    </div>
                  ))}
                </div>
              </li>
            );
          })}
        </ol>
        <InPlace flow={flow} label={label} />
      </div>
    );
  }
}
