/**
 * The keyboard shortcuts' help (`?`, or 键盘快捷键 in the user menu): the table of ./shortcuts.ts
 * as this user has it, one table per scope (every screen, in a queue, on a case page), in the
 * console's language. The accept shortcut is named by the lifecycle's own label for the action.
 */
import { Modal, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useLookups, useSession } from './session';
import { SCOPES, keyCap, scopeOf, shortcutsFor } from './shortcuts';

const KBD = { display: 'inline-block', minWidth: 22, padding: '0 6px', textAlign: 'center', font: '12px/20px ui-monospace, Menlo, Consolas, monospace', color: '#262626', background: '#fafafa', border: '1px solid #d9d9d9', borderBottomWidth: 2, borderRadius: 4 } as const;
const CELL = { padding: '4px 8px', borderBottom: '1px solid #f0f0f0', textAlign: 'start', verticalAlign: 'top' } as const;
const CAPTION = { captionSide: 'top', textAlign: 'start', padding: '8px 8px 2px', fontWeight: 600, color: '#262626' } as const;

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  const { actionLabel } = useLookups();
  if (!me) return null;
  const mine = shortcutsFor(me);
  return (
    <Modal open={open} title={t('shortcuts.title')} footer={null} onCancel={onClose} width={520} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('shortcuts.intro')}</Typography.Paragraph>
      <div data-testid="shortcuts-help">
        {SCOPES.map((scope) => {
          const rows = mine.filter((s) => scopeOf(s) === scope);
          if (!rows.length) return null;
          return (
            <table key={scope} data-shortcut-scope={scope} style={{ width: '100%', tableLayout: 'fixed', borderCollapse: 'collapse', marginBottom: 8 }}>
              <caption style={CAPTION}>{t(`shortcuts.scope.${scope}`)}</caption>
              <thead>
                <tr>
                  <th scope="col" style={{ ...CELL, width: '30%', fontWeight: 600 }}>{t('shortcuts.keys')}</th>
                  <th scope="col" style={{ ...CELL, fontWeight: 600 }}>{t('shortcuts.does')}</th>
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
        })}
      </div>
    </Modal>
  );
}
