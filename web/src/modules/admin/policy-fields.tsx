/**
 * The policy editor's field widgets: each edits one path of the draft and shows, under itself,
 * the problems the server's checker reported at that path (in the UI language).
 */
import { Button, Form, Input, InputNumber, Select, Switch, Tag, Tooltip } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { createContext, useContext, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PolicyProblem } from '../../api/client';
import { pick } from '../../i18n';
import { DurationInput } from '../case/ActionForm';
import { getIn, pathText, problemsAt, type Doc, type Path } from './policy-draft';

export interface DraftApi {
  draft: Doc;
  /** Sets (or, with undefined, removes) the field at `path`. */
  set: (path: Path, value: unknown) => void;
  problems: readonly PolicyProblem[];
}

export const DraftContext = createContext<DraftApi | null>(null);

export function useDraft(): DraftApi {
  const d = useContext(DraftContext);
  if (!d) throw new Error('useDraft outside the policy editor');
  return d;
}

/** The DOM id of a path's input: `grades[0].limits.resolve` → `pe-grades-0-limits-resolve`. */
export function fieldId(path: Path): string {
  return `pe-${path.join('-')}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A labelled field showing the checker's problems at `paths` (the first is the input's own). */
export function Field({ paths, label, children, width }: { paths: Path[]; label: ReactNode; children: ReactNode; width?: number | string }) {
  const { problems } = useDraft();
  const here = paths.flatMap((p) => problemsAt(problems, p));
  return (
    <Form.Item
      label={label}
      htmlFor={fieldId(paths[0]!)}
      validateStatus={here.length ? 'error' : undefined}
      help={here.length ? <span data-testid={`problem-${fieldId(paths[0]!)}`}>{here.map((p) => pick(p.message)).join('；')}</span> : undefined}
      style={{ marginBottom: 8, width }}
    >
      {children}
    </Form.Item>
  );
}

export function TextField({ path, label, width, placeholder }: { path: Path; label: ReactNode; width?: number | string; placeholder?: string }) {
  const { draft, set } = useDraft();
  const v = getIn(draft, path);
  return (
    <Field paths={[path]} label={label} width={width}>
      <Input id={fieldId(path)} placeholder={placeholder} value={typeof v === 'string' ? v : ''} onChange={(e) => set(path, e.target.value === '' ? undefined : e.target.value)} />
    </Field>
  );
}

const LANG_SHORT = ['zh-CN', 'zh-TW', 'en'] as const;

/** Text in the three UI languages (zh-CN first; a language left empty is left out). */
export function I18nField({ path, label, multiline, required = true }: { path: Path; label: ReactNode; multiline?: boolean; required?: boolean }) {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const paths = [path, [...path, 'zh-CN'], [...path, 'zh-TW'], [...path, 'en']];
  return (
    <Field paths={paths} label={label}>
      <div style={{ display: 'flex', flexDirection: multiline ? 'column' : 'row', flexWrap: 'wrap', gap: 4 }}>
        {LANG_SHORT.map((lang) => {
          const p = [...path, lang];
          const v = getIn(draft, p);
          const value = typeof v === 'string' ? v : '';
          const change = (text: string) => {
            const next = text === '' ? undefined : text;
            const cur = getIn(draft, path);
            // An optional text whose every language is emptied disappears as a whole.
            const rest = cur && typeof cur === 'object' ? Object.entries(cur as Record<string, unknown>).filter(([k]) => k !== lang) : [];
            if (next === undefined && rest.length === 0 && !required) set(path, undefined);
            else set(p, next);
          };
          const addon = t(`policyEditor.langShort.${lang}`);
          return multiline ? (
            <div key={lang} style={{ display: 'flex', gap: 4, alignItems: 'flex-start' }}>
              <Tag style={{ marginTop: 4, width: 52, textAlign: 'center', flex: 'none' }}>{addon}</Tag>
              <Input.TextArea
                id={lang === 'zh-CN' ? fieldId(path) : fieldId(p)}
                aria-label={`${typeof label === 'string' ? label : ''} ${addon}`}
                value={value}
                autoSize={{ minRows: 1, maxRows: 6 }}
                onChange={(e) => change(e.target.value)}
              />
            </div>
          ) : (
            <Input
              key={lang}
              id={lang === 'zh-CN' ? fieldId(path) : fieldId(p)}
              aria-label={`${typeof label === 'string' ? label : ''} ${addon}`}
              addonBefore={addon}
              value={value}
              onChange={(e) => change(e.target.value)}
              style={{ flex: '1 1 160px', minWidth: 140 }}
            />
          );
        })}
      </div>
    </Field>
  );
}

/** The units a policy duration may be written in (src/domain/policy/schema.ts `DurationUnit`), in the editor's order. */
const UNITS = ['wd', 'd', 'h', 'wh', 'm', 'w', 'mo'] as const;

/**
 * A duration of the policy through the console's duration picker; an alignment (`@eod`) the text
 * carries is kept and shown beside it. `optional`: a clear button removes the field.
 */
export function DurationField({ path, label, optional }: { path: Path; label: ReactNode; optional?: boolean }) {
  const { t } = useTranslation();
  const { draft, set } = useDraft();
  const v = getIn(draft, path);
  const text = typeof v === 'string' ? v : undefined;
  const at = text?.indexOf('@') ?? -1;
  const plain = text && at >= 0 ? text.slice(0, at) : text;
  const align = text && at >= 0 ? text.slice(at) : '';
  const units = UNITS.map((u) => ({ value: u, label: t(`policyEditor.unit.${u}`) }));
  return (
    <Field paths={[path]} label={label}>
      <div style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
        <DurationInput id={fieldId(path)} value={plain} units={units} onChange={(d) => set(path, d === undefined ? (optional ? undefined : '') : `${d}${align}`)} />
        {align && (
          <Tooltip title={t('policyEditor.aligned')}>
            <Tag>{align}</Tag>
          </Tooltip>
        )}
        {optional && (
          <Button
            size="small"
            type="text"
            aria-label={t('policyEditor.clear')}
            icon={<DeleteOutlined />}
            onClick={() => set(path, undefined)}
            disabled={text === undefined}
            style={{ visibility: text === undefined ? 'hidden' : undefined }}
          />
        )}
      </div>
    </Field>
  );
}

export function NumberField({ path, label, min, max, step, scale = 1, suffix }: { path: Path; label: ReactNode; min?: number; max?: number; step?: number; scale?: number; suffix?: string }) {
  const { draft, set } = useDraft();
  const v = getIn(draft, path);
  return (
    <Field paths={[path]} label={label}>
      <InputNumber
        id={fieldId(path)}
        value={typeof v === 'number' ? Number((v * scale).toFixed(4)) : null}
        min={min}
        max={max}
        step={step}
        suffix={suffix}
        style={{ width: '100%', maxWidth: 130 }}
        onChange={(n) => set(path, n === null ? undefined : Number((Number(n) / scale).toFixed(6)))}
      />
    </Field>
  );
}

export function SwitchField({ path, label }: { path: Path; label: ReactNode }) {
  const { draft, set } = useDraft();
  return (
    <Field paths={[path]} label={label}>
      <Switch id={fieldId(path)} checked={getIn(draft, path) === true} onChange={(c) => set(path, c)} />
    </Field>
  );
}

/** A choice among `options`; `allowClear` removes the field. `multiple`: a list of choices. */
export function SelectField({
  path,
  label,
  options,
  allowClear,
  multiple,
  placeholder,
}: {
  path: Path;
  label: ReactNode;
  options: { value: string; label: string; disabled?: boolean }[];
  allowClear?: boolean;
  multiple?: boolean;
  placeholder?: string;
}) {
  const { draft, set } = useDraft();
  const v = getIn(draft, path);
  return (
    <Field paths={[path]} label={label}>
      <Select
        id={fieldId(path)}
        mode={multiple ? 'multiple' : undefined}
        value={v as string | string[] | undefined}
        options={options}
        allowClear={allowClear}
        showSearch
        optionFilterProp="label"
        placeholder={placeholder}
        // The column's width, not more: a fixed minimum overflowed a half-width column on a phone.
        style={{ width: '100%', minWidth: 0 }}
        onChange={(x: string | string[] | undefined) => set(path, x === undefined || x === null || (Array.isArray(x) && x.length === 0 && allowClear) ? undefined : x)}
      />
    </Field>
  );
}

/** `[label, path]` of an item's problems anywhere below it: a badge on a folded item. */
export function problemsBelow(problems: readonly PolicyProblem[], path: Path): number {
  const p = pathText(path);
  return problems.filter((x) => x.path === p || x.path.startsWith(`${p}.`) || x.path.startsWith(`${p}[`)).length;
}
