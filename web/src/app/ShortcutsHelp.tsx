/**
 * The keyboard shortcuts' help (`?`, or 键盘快捷键 in the user menu): the table of ./shortcuts.ts
 * as this user has it, in the console's language.
 */
import { Modal, Typography } from 'antd';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { shortcutsFor } from './shortcuts';

const KBD = { display: 'inline-block', minWidth: 22, padding: '0 6px', textAlign: 'center', font: '12px/20px ui-monospace, Menlo, Consolas, monospace', color: '#262626', background: '#fafafa', border: '1px solid #d9d9d9', borderBottomWidth: 2, borderRadius: 4 } as const;
const CELL = { padding: '6px 8px', borderBottom: '1px solid #f0f0f0', textAlign: 'start', verticalAlign: 'top' } as const;

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { me } = useSession();
  if (!me) return null;
  return (
    <Modal open={open} title={t('shortcuts.title')} footer={null} onCancel={onClose} width={520} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('shortcuts.intro')}</Typography.Paragraph>
      <table data-testid="shortcuts-help" style={{ width: '100%', borderCollapse: 'collapse' }}>
        <thead>
          <tr>
            <th scope="col" style={{ ...CELL, width: '30%', fontWeight: 600 }}>{t('shortcuts.keys')}</th>
            <th scope="col" style={{ ...CELL, fontWeight: 600 }}>{t('shortcuts.does')}</th>
          </tr>
        </thead>
        <tbody>
          {shortcutsFor(me).map((s) => (
            <tr key={s.id} data-shortcut-row={s.id}>
              <td style={{ ...CELL, whiteSpace: 'nowrap' }}>
                {s.keys.map((k, i) => (
                  <Fragment key={i}>
                    {i > 0 && <span> {t('shortcuts.then')} </span>}
                    <kbd style={KBD}>{k}</kbd>
                  </Fragment>
                ))}
              </td>
              <td style={CELL}>{t(`shortcuts.action.${s.id}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
