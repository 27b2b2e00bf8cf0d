import { Space, Typography } from 'antd';
import { useMessages } from '../../i18n/i18n';
import { countyClock, duration } from '../../time/county-time';
import { messages } from './messages';
import type { Rundown } from './timeline';

/** The slot's window and how much of it is taken: what an operator checks before adding anything. */
export function WindowSummary({ rundown, compact = false }: { rundown: Rundown; compact?: boolean }) {
  const t = useMessages(messages);
  const used = duration(rundown.totalMs / 1000);
  const remaining = duration(rundown.remainingMs / 1000);
  if (compact) return <Typography.Text type="secondary">{t('weekUsed', { used, remaining })}</Typography.Text>;
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%' }}>
      <Typography.Text>
        {t('window', {
          slot: rundown.slot.name,
          start: countyClock(rundown.slot.startsAt),
          end: countyClock(rundown.slot.endsAt),
          minutes: rundown.slot.windowMinutes,
        })}
      </Typography.Text>
      <Space wrap>
        <Typography.Text>{t('used', { used })}</Typography.Text>
        <Typography.Text strong>{t('remaining', { remaining })}</Typography.Text>
      </Space>
    </Space>
  );
}
