/**
 * The case as the dossier form 《客户投诉处理单》 for printing (issue 11 §5): the same sections as
 * the PDF (GET /api/v1/complaints/{id}/dossier.pdf, server/src/reports/pdf/dossier.ts) — record,
 * customer as the reader may see them, 5W1H, demands, judgement and findings, solution and
 * approvals, answer, follow-ups, deadlines with their explanations, timeline, signatures — drawn
 * from the case view the page already holds. Hidden on screen; print.css shows it alone on paper.
 * Loaded after the case page has shown (CasePage.tsx); its buttons are CaseExportButtons.tsx.
 */
import { useTranslation } from 'react-i18next';
import type { CaseView, Clock, TimelineEvent } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { currentLocale } from '../../i18n';
import { formatDateTime, formatMoney, joinList } from '../../shared/format';
import { FIVE_W as W, fiveW } from '../../shared/five-w';
import './print.css';

const DECISIONS = ['approve', 'reject', 'grant_extension', 'refuse_extension'];

export function CasePrintForm({ view }: { view: CaseView }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { userName, deptName, gradeName, categoryName, reasonName, tierName, levelName, actionLabel, clockName } = useLookups();
  const c = view.complaint;
  const lang = currentLocale();
  const input = (e: TimelineEvent) => (e.data?.input ?? {}) as Record<string, any>;
  const w = fiveW(c.description);
  const p = c.complainant;
  const dash = (s: string | null | undefined) => (s ? s : '—');
  const explained = (k: Clock) => (k.explanation && 'text' in k.explanation ? k.explanation.text[lang] : '');
  const approvals = view.timeline.filter((e) => e.action && DECISIONS.includes(e.action));
  const followUps = view.timeline.filter((e) => e.action === 'follow_up');
  const clocks = view.clocks.filter((k) => !k.kind.startsWith('grade_rise') || k.status !== 'stopped');

  const Fields = ({ rows }: { rows: [string, string | null | undefined][] }) => (
    <table className="kesu-fields">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th>{label}</th>
            <td>{dash(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const Table = ({ head, rows, empty }: { head: string[]; rows: string[][]; empty?: string }) => (
    <table>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length ? (
          rows.map((r, i) => (
            <tr key={i}>
              {r.map((x, j) => (
                <td key={j}>{x}</td>
              ))}
            </tr>
          ))
        ) : (
          <tr>
            <td colSpan={head.length}>{empty ?? '—'}</td>
          </tr>
        )}
      </tbody>
    </table>
  );

  const title = t('print.title');
  return (
    <div className="kesu-print-form" data-testid="case-print-form">
      <h1>{lang === 'en' ? title : `《${title}》`}</h1>
      <div className="kesu-print-sub">
        {t('field.number')} {c.number} · {t('print.printed', { at: formatDateTime(new Date().toISOString()), who: me?.name ?? '' })}
      </div>

      <h2>1. {t('print.record')}</h2>
      <Fields
        rows={[
          [t('field.number'), c.number],
          [t('field.received'), formatDateTime(c.receivedAt)],
          [t('field.channel'), t(`channel.${c.channel}`, { defaultValue: c.channel })],
          [t('field.kind'), t(`kind.${c.kind}`)],
          [t('field.category'), c.category ? categoryName(c.category) : null],
          [t('field.grade'), c.grade ? gradeName(c.grade) : null],
          [t('field.state'), t(`state.${c.state}`)],
          [t('field.tier'), t('case.tier', { tier: c.tier, name: tierName(c.tier) })],
          [t('field.firstResponder'), userName(c.firstResponderId)],
          [t('field.department'), deptName(c.departmentCode)],
          [t('field.handler'), joinList([userName(c.primaryHandlerId), c.backupHandlerId ? userName(c.backupHandlerId) : ''].filter((x) => x && x !== '—'))],
          [t('case.promised'), formatDateTime(view.promisedAt)],
          [t('field.policy'), c.policyKey],
          [t('field.title'), c.title],
        ]}
      />

      <h2>2. {t('print.customer')}</h2>
      {c.piiMasked && <p className="kesu-note">{t('case.masked')}</p>}
      <Fields
        rows={[
          [t('field.complainantName'), p.anonymous ? t('field.anonymous') : p.name],
          [t('field.phone'), p.phone],
          [t('field.email'), p.email],
          [t('field.address'), p.address],
          [t('field.customerClass'), p.customerClass],
          [
            t('case.references'),
            [c.references.order && `${t('field.order')} ${c.references.order}`, c.references.product && `${t('field.product')} ${c.references.product}`, c.references.plate && `${t('field.plate')} ${c.references.plate}`]
              .filter(Boolean)
              .join(' · '),
          ],
        ]}
      />

      <h2>3. {t('print.content')}</h2>
      <Fields
        rows={[
          ...W.map((k) => [t(`intake.w.${k}`), w[k]] as [string, string | undefined]),
          [t('case.subject'), [c.subject.departmentCode ? deptName(c.subject.departmentCode) : '', joinList(c.subject.employeeIds.map(userName)), c.subject.description ?? ''].filter(Boolean).join(' · ')],
        ]}
      />

      <h2>4. {t('print.demands')}</h2>
      <Fields
        rows={[
          [t('field.demands'), joinList(c.demands.types.map((d) => t(`demand.${d}`)))],
          [t('field.amount'), c.demands.amount !== undefined ? formatMoney(c.demands.amount) : null],
          [t('field.demandText'), c.demands.text],
        ]}
      />

      <h2>5. {t('print.judgement')}</h2>
      <Fields
        rows={[
          [
            t('case.validity'),
            c.validity
              ? c.validity.valid
                ? t('action.f.validYes')
                : `${t('action.f.validNo')}：${reasonName(c.validity.reason)}${c.validity.malicious ? `（${t('action.f.malicious')}）` : ''}${c.validity.explanation ? ` — ${c.validity.explanation}` : ''}`
              : null,
          ],
          [
            t('case.findings'),
            c.findings
              ? `${c.findings.facts}\n${c.findings.cause}\n${t(`responsibility.${c.findings.responsibility.type}`)}${c.findings.responsibility.departmentCode ? ` ${deptName(c.findings.responsibility.departmentCode)}` : ''}${c.findings.responsibility.employeeId ? ` ${userName(c.findings.responsibility.employeeId)}` : ''}`
              : null,
          ],
        ]}
      />

      <h2>6. {t('print.solution')}</h2>
      <Fields
        rows={[
          [
            t('case.proposal'),
            c.proposal
              ? `${joinList(c.proposal.solutions.map((s) => t(`solution.${s}`)))} · ${formatMoney(c.proposal.amount)} · ${c.proposal.description}${c.proposal.requiredLevel ? ` · ${t('case.needsLevel', { level: levelName(c.proposal.requiredLevel) })}` : ''}`
              : null,
          ],
        ]}
      />
      <Table
        head={[t('print.time'), t('print.who'), t('print.action'), t('print.details')]}
        empty={t('print.noApprovals')}
        rows={approvals.map((e) => [formatDateTime(e.at), e.actorName, actionLabel(e.action!), String(input(e).comment ?? '')])}
      />

      <h2>7. {t('case.answer')}</h2>
      <Fields rows={[[t('case.answer'), c.answer ? `${c.answer.text}\n${t(`method.${c.answer.method}`)} · ${userName(c.answer.answeredBy)} · ${formatDateTime(c.answer.answeredAt)}` : null]]} />

      <h2>8. {t('print.followUps')}</h2>
      <Table
        head={[t('print.time'), t('print.who'), t('field.satisfaction'), t('print.details')]}
        empty={t('print.noFollowUps')}
        rows={followUps.map((e) => {
          const i = input(e);
          const scores = i.scores ? [i.scores.attitude, i.scores.efficiency, i.scores.result].map((x: number | undefined) => x ?? '—').join(' / ') : '';
          return [formatDateTime(e.at), e.actorName, i.reached === false ? t('action.f.reachedNo') : i.satisfaction ? t(`satisfaction.${i.satisfaction}`) : '', [scores, i.comment ?? ''].filter(Boolean).join(' · ')];
        })}
      />

      <h2>9. {t('case.deadlines')}</h2>
      <Table
        head={[t('clock.kind'), t('clock.status'), t('print.started'), t('clock.due'), t('print.explanation')]}
        rows={clocks.map((k) => [clockName(k.kind, k.name), k.breachedAt ? t('clock.breached') : t(`clock.${k.status}`), formatDateTime(k.startedAt), formatDateTime(k.dueAt), explained(k) ?? ''])}
      />

      <h2>10. {t('case.timeline')}</h2>
      <Table
        head={[t('print.time'), t('print.who'), t('print.action'), t('print.details')]}
        rows={view.timeline.map((e) => {
          const i = input(e);
          const move = e.toState && e.fromState !== e.toState ? ` → ${t(`state.${e.toState}`)}` : '';
          const details = [i.comment, i.reason && reasonName(i.reason), i.explanation, i.text, i.note, i.description].filter((x) => typeof x === 'string' && x);
          return [formatDateTime(e.at), e.actorName, `${e.action === 'receive' ? t('case.received') : actionLabel(e.action ?? e.type)}${move}`, details.join(' · ')];
        })}
      />

      <h2>11. {t('print.signatures')}</h2>
      <table className="kesu-signs">
        <tbody>
          {[
            ['sFirstResponder', 'sHandler', 'sManager'],
            ['sApprover', 'sFollowUp', 'sCustomer'],
          ].map((row) => (
            <tr key={row[0]}>
              {row.map((k) => (
                <td key={k}>
                  <b>{t(`print.${k}`)}</b>
                  <span>{t('print.sign')}：</span>
                  <span>{t('print.date')}：</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
