import { Alert, Button, Flex, List, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { TitledPage } from '../../components/page-title';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useRegions } from '../../components/regions/regions';
import { SectionCard } from '../../components/section-card';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { entryLines, type LedgerEntry, type LedgerKind } from './entry-text';
import { messages } from './messages';

const KINDS: LedgerKind[] = [
  'lecture_session',
  'broadcast_aired',
  'volunteer_hours',
  'points_awarded',
  'points_redeemed',
  'rating',
  'correction',
  'goods_stocked',
];
const PAGE_SIZE = 20;
const HASH_SHOWN = 16;
const mono = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', overflowWrap: 'anywhere' as const };

/** The whole chain recomputed on the server: whole (how many, the head's hash) or where it breaks and why. */
function VerifyStatus() {
  const t = useMessages(messages);
  const verify = $api.useQuery('get', '/api/v1/ledger/verify');
  const again = (
    <Button loading={verify.isFetching} onClick={() => void verify.refetch()}>
      {t('verifyAgain')}
    </Button>
  );
  if (verify.error) return <FailureAlert error={verify.error} />;
  const result = verify.data;
  return (
    <SectionCard title={t('verifyTitle')} extra={again}>
      {!result ? (
        <Muted>…</Muted>
      ) : result.ok ? (
        <Alert
          type="success"
          showIcon
          role="status"
          title={result.head ? t('verifyOk', { count: result.count }) : t('verifyEmpty')}
          description={
            result.head && (
              <div>
                <div>{t('verifyHead', { seq: result.head.seq })}</div>
                <div style={mono}>{result.head.hash}</div>
              </div>
            )
          }
        />
      ) : (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('verifyBad', { seq: result.firstBadSeq })}
          description={t('verifyChecked', { count: result.count, reason: result.reason })}
        />
      )}
    </SectionCard>
  );
}

/** A link to another entry (what a correction corrects, or a correction of this one), opened over the page. */
function SeqLink({ seq, label, onOpen }: { seq: string; label: string; onOpen: (seq: string) => void }) {
  return (
    <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => onOpen(seq)}>
      {label}
    </Button>
  );
}

function EntryBody({
  entry,
  regionName,
  onOpen,
}: {
  entry: LedgerEntry;
  regionName?: string;
  onOpen: (seq: string) => void;
}) {
  const t = useMessages(messages);
  return (
    <Flex vertical gap={4} style={{ width: '100%', minWidth: 0, overflowWrap: 'anywhere' }}>
      <Flex wrap gap={8} align="center">
        <Typography.Text strong>#{entry.seq}</Typography.Text>
        <StatusTag tone={entry.kind === 'correction' ? 'warn' : 'info'}>{t(`kind_${entry.kind}`)}</StatusTag>
        <Muted>{countyDateTime(entry.occurredAt)}</Muted>
        <Muted>{regionName ?? entry.regionCode}</Muted>
      </Flex>
      {entryLines(entry, t).map((line) => (
        <span key={line.key}>{t(line.key, line.values)}</span>
      ))}
      <Flex wrap gap={12}>
        {entry.corrects && (
          <SeqLink seq={entry.corrects} label={t('corrects', { seq: entry.corrects })} onOpen={onOpen} />
        )}
        {entry.correctedBy.map((seq) => (
          <SeqLink key={seq} seq={seq} label={t('correctedBy', { seq })} onOpen={onOpen} />
        ))}
      </Flex>
      <Muted>
        {entry.actor ? t('by', { name: entry.actor.username ?? entry.actor.id }) : t('byService')} ·{' '}
        <span style={mono}>{t('hash', { hash: entry.hash.slice(0, HASH_SHOWN) })}</span>
      </Muted>
    </Flex>
  );
}

function EntryModal({
  seq,
  onClose,
  onOpen,
}: {
  seq: string | null;
  onClose: () => void;
  onOpen: (seq: string) => void;
}) {
  const t = useMessages(messages);
  const entry = $api.useQuery(
    'get',
    '/api/v1/ledger/{seq}',
    { params: { path: { seq: seq ?? '1' } } },
    { enabled: !!seq },
  );
  return (
    <Modal
      open={!!seq}
      title={t('entryTitle', { seq: seq ?? '' })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('close')}</Button>}
      destroyOnHidden
    >
      <FailureAlert error={entry.error} />
      {entry.data && <EntryBody entry={entry.data} onOpen={onOpen} />}
    </Modal>
  );
}

/**
 * /ledger: the civic-practice ledger in the user's scope, entry by entry in
 * seq order, in words; its verify status at the top.
 */
export default function LedgerPage() {
  const t = useMessages(messages);
  const [kind, setKind] = useState<LedgerKind>();
  const [opened, setOpened] = useState<string | null>(null);
  const pages = useCursorPages();
  const entries = $api.useQuery('get', '/api/v1/ledger', {
    params: { query: { limit: PAGE_SIZE, ...(kind ? { kind } : {}), ...(pages.after ? { after: pages.after } : {}) } },
  });
  const items = entries.data?.items ?? [];
  const codes = [...new Set(items.map((entry) => entry.regionCode))];
  const regions = useRegions(codes);
  const names = new Map(codes.map((code, index) => [code, regions[index]?.data?.name]));
  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      <VerifyStatus />
      <SectionCard
        title={t('entries')}
        extra={
          <Select<LedgerKind>
            aria-label={t('kind')}
            allowClear
            placeholder={t('allKinds')}
            style={{ minWidth: 160 }}
            value={kind}
            onChange={(value) => {
              setKind(value);
              pages.reset();
            }}
            options={KINDS.map((value) => ({ value, label: t(`kind_${value}`) }))}
          />
        }
      >
        <FailureAlert error={entries.error} />
        <List
          loading={entries.isPending}
          dataSource={items}
          rowKey="seq"
          locale={{ emptyText: t('empty') }}
          renderItem={(entry) => (
            <List.Item>
              <EntryBody entry={entry} regionName={names.get(entry.regionCode)} onOpen={setOpened} />
            </List.Item>
          )}
        />
        <CursorPager pages={pages} nextCursor={entries.data?.nextCursor} />
      </SectionCard>
      <EntryModal seq={opened} onClose={() => setOpened(null)} onOpen={setOpened} />
    </TitledPage>
  );
}
