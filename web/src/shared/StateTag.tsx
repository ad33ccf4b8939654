import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  received: 'blue',
  invalid: 'default',
  valid: 'cyan',
  classified: 'cyan',
  assigned: 'geekblue',
  investigating: 'purple',
  investigated: 'purple',
  awaiting_approval: 'gold',
  implementing: 'orange',
  pending: 'magenta',
  answered: 'lime',
  followed_up: 'green',
  closed: 'default',
  archived: 'default',
};

export function StateTag({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[state] ?? 'default'} data-state={state}>
      {t(`state.${state}`)}
    </Tag>
  );
}
