import { Button, Empty, List, Space, Typography } from 'antd';
import { $api } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { type Command, KIND_LABEL, STATUS_LABEL, STATUS_TONE, statusCounts } from './command-logic';
import { messages } from './messages';

/** Devices acknowledge within seconds of being told: the list follows them without a reload. */
export const COMMANDS_POLL_MS = 3_000;

/** "设置音量 40", "重启": what was asked. */
export function useCommandName() {
  const t = useMessages(messages);
  return (command: Command) =>
    command.volume === null
      ? t(KIND_LABEL[command.kind])
      : t('withVolume', { kind: t(KIND_LABEL[command.kind]), volume: command.volume });
}

/** Where a command's deliveries stand, one tag per status some device is at. */
export function CommandProgress({ command }: { command: Command }) {
  const t = useMessages(messages);
  return (
    <Space wrap size={4}>
      <Typography.Text>{t('progress', { done: command.counts.done, total: command.counts.total })}</Typography.Text>
      {statusCounts(command.counts).map(({ status, count }) => (
        <StatusTag key={status} tone={STATUS_TONE[status]}>
          {`${t(STATUS_LABEL[status])} ${count}`}
        </StatusTag>
      ))}
    </Space>
  );
}

/** The commands issued in the operator's scope, newest first, each with its progress. */
export function CommandList({ selected, onSelect }: { selected?: string; onSelect: (id: string) => void }) {
  const t = useMessages(messages);
  const name = useCommandName();
  const pages = useCursorPages();
  const commands = $api.useQuery(
    'get',
    '/api/v1/endpoint-commands',
    { params: { query: { limit: 20, ...(pages.after ? { after: pages.after } : {}) } } },
    { refetchInterval: COMMANDS_POLL_MS },
  );
  return (
    <>
      <FailureAlert error={commands.error} />
      <List<Command>
        loading={commands.isPending}
        dataSource={commands.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noCommands')} /> }}
        renderItem={(command) => (
          <List.Item key={command.id}>
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text strong>{name(command)}</Typography.Text>
              <span>{t('target', { target: command.endpoint?.name ?? command.regionName })}</span>
              <Muted>
                {t('issuedBy', { time: countyDateTime(command.issuedAt), user: command.issuedBy.username })}
              </Muted>
              <CommandProgress command={command} />
              <Button
                size="small"
                type={selected === command.id ? 'primary' : 'default'}
                aria-pressed={selected === command.id}
                onClick={() => onSelect(command.id)}
              >
                {t('view')}
              </Button>
            </Space>
          </List.Item>
        )}
      />
      <CursorPager pages={pages} nextCursor={commands.data?.nextCursor} />
    </>
  );
}
