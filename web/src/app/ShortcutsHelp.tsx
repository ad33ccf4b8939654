/**
 * The keyboard shortcuts' help (`?`, or 键盘快捷键 in the user menu): the table of ./shortcuts.ts
 * as this user has it, one table per scope (every screen, in a queue, on a case page), in the
 * console's language. The accept shortcut is named by the lifecycle's own label for the action.
 * The tables stand side by side where there is room (every screen | a queue and a case page), so
 * the dialog fits a 1366×768 screen without scrolling in each language (issue 14); on a phone
 * they stack.
 */
import { Modal, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useLookups, useSession } from './session';
import { SCOPES, keyCap, scopeOf, shortcutsFor } from './shortcuts';

const KBD = {
  display: 'inline-block',
  minWidth: 22,
  padding: '0 6px',
  textAlign: 'center',
  font: '12px/20px ui-monospace, Menlo, Consolas, monospace',
  color: '#262626',
  background: '#fafafa',
  border: '1px solid #d9d9d9',
  borderBottomWidth: 2,
  borderRadius: 4,
} as const;
const CELL = { padding: '3px 6px', borderBottom: '1px solid #f0f0f0', textAlign: 'start', verticalAlign: 'top' } as const;
const CAPTION = { captionSide: 'top', textAlign: 'start', padding: '4px 6px 2px', fontWeight: 600, color: '#262626' } as const;
/** Two columns when each can be ~300 px wide, one otherwise (a phone). */
const COLUMNS = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))', columnGap: 16, alignItems: 'start' } as const;
/** Which column each scope's table stands in: every screen's keys beside the pages' keys. */
const COLUMN_OF: Record<string, number> = { everywhere: 0, queue: 1, case: 1 };

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { actionLabel } = useLookups();
  if (!me) return null;
  const mine = shortcutsFor(me);
  const table = (scope: (typeof SCOPES)[number]) => {
    const rows = mine.filter((s) => scopeOf(s) === scope);
    if (!rows.length) return null;
    return (
      <table key={scope} data-shortcut-scope={scope} style={{ width: '100%', tableLayout: 'fixed', borderCollapse: 'collapse', marginBottom: 6 }}>
        <caption style={CAPTION}>{t(`shortcuts.scope.${scope}`)}</caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...CELL, width: '32%', fontWeight: 600 }}>
              {t('shortcuts.keys')}
            </th>
            <th scope="col" style={{ ...CELL, fontWeight: 600 }}>
              {t('shortcuts.does')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} data-shortcut-row={s.id}>
              <td style={{ ...CELL, whiteSpace: 'nowrap' }}>
                {s.keys.map((k, i) => (
                  <Fragment key={i}>
                    {i > 0 && <span> {t('shortcuts.then')} </span>}
                    <kbd style={KBD}>{keyCap(k)}</kbd>
                  </Fragment>
                ))}
              </td>
              <td style={CELL}>{t(`shortcuts.action.${s.id}`, { action: actionLabel('accept') })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  };
  const columns = [0, 1].map((n) => SCOPES.filter((s) => COLUMN_OF[s] === n));
  return (
    <Modal open={open} title={t('shortcuts.title')} footer={null} onCancel={onClose} width={{ xs: '94vw', sm: '94vw', md: 760, lg: 800 }} style={{ top: 40 }} destroyOnHidden>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
        {t('shortcuts.intro')}
      </Typography.Paragraph>
      <div data-testid="shortcuts-help" style={COLUMNS}>
        {columns.map((scopes, n) => (
          <div key={n}>{scopes.map(table)}</div>
        ))}
      </div>
    </Modal>
  );
}
