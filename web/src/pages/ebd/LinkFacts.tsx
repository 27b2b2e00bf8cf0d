import { Alert, Descriptions, Grid, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { StatusTag, type Tone } from '../../components/status-tag';
import { Muted } from '../../components/muted';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import type { EbdLink } from './link-form';
import { messages, type EbdMessageKey } from './messages';

const STATUS: Record<EbdLink['status'], { tone: Tone; label: EbdMessageKey }> = {
  up: { tone: 'good', label: 'statusUp' },
  down: { tone: 'bad', label: 'statusDown' },
  unknown: { tone: 'idle', label: 'statusUnknown' },
};

/** 已连接 / 已断开 / 未检测, and when the upper platform last answered (county time). */
export function LinkStatus({ link }: { link: EbdLink }) {
  const t = useMessages(messages);
  const status = STATUS[link.status];
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }} role="status" aria-live="polite">
      <Space wrap size={4}>
        <StatusTag tone={status.tone}>{t(status.label)}</StatusTag>
        {!link.enabled && <StatusTag tone="idle">{t('disabled')}</StatusTag>}
        <Muted>{link.linkUpAt ? t('lastAnswer', { time: countyDateTime(link.linkUpAt) }) : t('neverAnswered')}</Muted>
      </Space>
      {link.status === 'down' && link.linkError && (
        <Alert type="error" showIcon title={t('linkError', { error: link.linkError })} />
      )}
    </Space>
  );
}

/** Long codes and keys wrap on a phone rather than push the page wider than the screen. */
function Code({ children, copy }: { children: string; copy?: boolean }) {
  const t = useMessages(messages);
  return (
    <Typography.Text
      code
      style={{ overflowWrap: 'anywhere', wordBreak: 'break-all' }}
      copyable={copy ? { tooltips: [t('copy'), t('copied')] } : false}
    >
      {children}
    </Typography.Text>
  );
}

/** What the county platform is and how it docks: identity, the upper platform, signing, behaviour. */
export function LinkFacts({ link }: { link: EbdLink }) {
  const t = useMessages(messages);
  const phone = !Grid.useBreakpoint().md;
  const yesNo = (value: boolean) => t(value ? 'yes' : 'no');
  const seconds = (n: number) => t('seconds', { n });
  const items: Array<{ key: string; label: string; children: ReactNode }> = [
    { key: 'ebrid', label: t('fieldEbrid'), children: <Code copy>{link.ebrid}</Code> },
    {
      key: 'type',
      label: t('fieldPlatformType'),
      children: t(link.platformType === '0103' ? 'platformType0103' : 'platformType0101'),
    },
    { key: 'upperEbrid', label: t('fieldUpperEbrid'), children: <Code>{link.upperEbrid}</Code> },
    { key: 'upperUrl', label: t('fieldUpperUrl'), children: <Code>{link.upperUrl}</Code> },
    { key: 'receiveUrl', label: t('fieldReceiveUrl'), children: <Code copy>{link.receiveUrl}</Code> },
    {
      key: 'publicKey',
      label: t('fieldPublicKey'),
      children: link.publicKey ? (
        <Code copy>{link.publicKey}</Code>
      ) : (
        <Typography.Text type="danger">{t('signerError', { error: link.signerError ?? '' })}</Typography.Text>
      ),
    },
    { key: 'signer', label: t('fieldSigner'), children: <Code>{link.signer}</Code> },
    { key: 'certSn', label: t('fieldCertSn'), children: <Code>{link.certSn}</Code> },
    {
      key: 'layout',
      label: t('fieldSignatureLayout'),
      children: t(link.signatureLayout === 'cert_time' ? 'layoutCertTime' : 'layoutSm2Sm3'),
    },
    { key: 'autoAir', label: t('fieldAutoAir'), children: yesNo(link.autoAir) },
    { key: 'reportLocal', label: t('fieldReportLocalAlerts'), children: yesNo(link.reportLocalAlerts) },
    {
      key: 'intervals',
      label: t('fieldIntervals'),
      children: t('intervals', {
        heartbeat: seconds(link.heartbeatSeconds),
        platformState: seconds(link.platformStateSeconds),
        terminalState: seconds(link.terminalStateSeconds),
        platformInfo: seconds(link.platformInfoSeconds),
        terminalInfo: seconds(link.terminalInfoSeconds),
      }),
    },
    { key: 'name', label: t('fieldName'), children: link.name },
    ...(link.contact || link.phone
      ? [
          {
            key: 'contact',
            label: t('fieldContact'),
            children: [link.contact, link.phone].filter(Boolean).join(' · '),
          },
        ]
      : []),
  ];
  // On a phone each value goes under its label: beside it, a key would wrap a few characters a line.
  return <Descriptions size="small" column={1} layout={phone ? 'vertical' : 'horizontal'} items={items} />;
}
