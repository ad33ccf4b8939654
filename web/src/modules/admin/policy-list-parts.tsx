/**
 * Parts the policy editor's list sections share (policy-sections.tsx, policy-rules.tsx): reading a
 * list of the draft, adding and removing an item, the item's card and the add button, and the
 * clocks a grade limits (keyed by the generated union: a clock added on the server and missing
 * here fails the typecheck).
 */
import { Button, Card } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Policy } from '../../api/client';
import { pick } from '../../i18n';
import { getIn, type Doc, type Path } from './policy-draft';
import type { DraftApi } from './policy-fields';

export type Clock = keyof Policy['grades'][number]['limits'];
export const CLOCKS = Object.keys({ triage: 1, dispatch: 1, first_response: 1, resolve: 1, approval: 1 } satisfies Record<Clock, 1>) as Clock[];

export type Item = Record<string, unknown>;
export const items = (d: Doc, path: Path): Item[] => (Array.isArray(getIn(d, path)) ? (getIn(d, path) as Item[]) : []);
/** The codes of a list's items as choices, each labelled with its name in the reader's language. */
export const codes = (d: Doc, path: Path) => items(d, path).map((x) => ({ value: String(x.code), label: `${pick(x.name as Record<string, string>)} (${String(x.code)})` }));
export const remove = (api: DraftApi, path: Path, i: number) =>
  api.set(
    path,
    items(api.draft, path).filter((_, j) => j !== i),
  );
export const add = (api: DraftApi, path: Path, item: Item) => api.set(path, [...items(api.draft, path), item]);

/** One item of a list: a card with its title and a remove button. */
export function ItemCard({ title, onRemove, children, testId }: { title: string; onRemove?: () => void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      style={{ marginBottom: 8 }}
      extra={
        onRemove && (
          <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={onRemove}>
            {t('policyEditor.remove')}
          </Button>
        )
      }
    >
      {children}
    </Card>
  );
}

export function AddButton({ onClick, label, testId }: { onClick: () => void; label: string; testId?: string }) {
  return (
    <Button icon={<PlusOutlined />} onClick={onClick} data-testid={testId}>
      {label}
    </Button>
  );
}
