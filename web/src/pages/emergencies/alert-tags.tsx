import { ApiOutlined, ExperimentOutlined } from '@ant-design/icons';
import { Alert as Banner, Tag } from 'antd';
import { useMessages } from '../../i18n/i18n';
import type { Alert, AlertStatus } from './approval';
import { severityText, STATUS_KEY } from './labels';
import { messages } from './messages';
import { severityOfLevel } from './severity';

export function SeverityTag({ level }: { level: number }) {
  const t = useMessages(messages);
  const severity = severityOfLevel(level);
  return (
    <Tag style={{ background: severity.background, color: severity.text, borderColor: severity.background }}>
      {severityText(t, level)}
    </Tag>
  );
}

/** A drill is marked wherever the alert appears, so no one mistakes it for a real one (or the reverse). */
export function DrillTag() {
  const t = useMessages(messages);
  return (
    <Tag icon={<ExperimentOutlined />} style={{ background: '#391085', color: '#fff', borderStyle: 'dashed' }}>
      {t('drill')}
    </Tag>
  );
}

/**
 * An alert that is an emergency broadcast message of the exchange: sent by the
 * upper platform (上级平台下发), or a local one reported up.
 */
export function EbmTag({ ebm }: { ebm: NonNullable<Alert['ebm']> }) {
  const t = useMessages(messages);
  return (
    <Tag icon={<ApiOutlined />} style={{ background: '#e6f4ff', color: '#003eb3', borderColor: '#91caff' }}>
      {t(ebm.direction === 'inbound' ? 'fromUpper' : 'reportedUp')}
    </Tag>
  );
}

export function DrillBanner() {
  const t = useMessages(messages);
  return <Banner type="warning" showIcon icon={<ExperimentOutlined />} title={t('drillBanner')} />;
}

// antd's preset tag colours are too pale to read (axe: contrast); these keep 4.5:1.
const STATUS_STYLE: Partial<Record<AlertStatus, { color: string; background: string }>> = {
  draft: { color: '#613400', background: '#fff1b8' },
  approved: { color: '#003eb3', background: '#e6f4ff' },
  active: { color: '#a8071a', background: '#fff1f0' },
};

export function StatusTag({ status }: { status: AlertStatus }) {
  const t = useMessages(messages);
  return <Tag style={STATUS_STYLE[status]}>{t(STATUS_KEY[status])}</Tag>;
}
