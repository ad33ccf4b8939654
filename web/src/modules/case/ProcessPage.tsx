/** The whole process as a flowchart, per kind of case (003 规范7: the process is shown to users). */
import { Card, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLookups } from '../../app/session';
import { Flowchart } from './Flowchart';

export function ProcessPage() {
  const { t } = useTranslation();
  const { lifecycle } = useLookups();
  const [kind, setKind] = useState('complaint');
  return (
    <Card title={t('nav.process')} extra={<Segmented value={kind} onChange={(v) => setKind(String(v))} options={['complaint', 'inquiry', 'suggestion'].map((k) => ({ value: k, label: t(`kind.${k}`) }))} />}>
      <Flowchart lifecycle={lifecycle} kind={kind} height={360} />
    </Card>
  );
}
