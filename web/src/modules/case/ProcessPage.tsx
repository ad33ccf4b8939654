/** The whole process as a flowchart, per kind of case (003 规范7: the process is shown to users). */
import { Card, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLookups } from '../../app/session';
import type { Schemas } from '../../api/client';

const KINDS: Schemas['Kind'][] = ['complaint', 'inquiry', 'suggestion'];
import { Flowchart } from './Flowchart';

export function ProcessPage() {
  const { t } = useTranslation();
  const { lifecycle } = useLookups();
  const [kind, setKind] = useState<Schemas['Kind']>('complaint');
  return (
    <Card title={t('nav.process')} extra={<Segmented value={kind} onChange={(v) => setKind(v)} options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />}>
      <Flowchart lifecycle={lifecycle} kind={kind} />
    </Card>
  );
}
