import { Flex, Typography } from 'antd';
import type { components } from '../api/schema.gen';
import { defineMessages, useMessages } from '../i18n/i18n';
import { Muted } from './muted';
import { StatusTag } from './status-tag';

type Endpoint = components['schemas']['Endpoint'];

const messages = defineMessages(
  {
    idle: '空闲',
    playing: '正在播放',
    fault: '故障',
    volume: '音量 {volume}',
    muted: '已静音',
    clock: '时钟偏差 {ms} 毫秒',
    free: '剩余 {space}',
    faultLine: '故障：{text}（{code}）',
  },
  {
    idle: 'Idle',
    playing: 'Playing',
    fault: 'Fault',
    volume: 'Volume {volume}',
    muted: 'Muted',
    clock: 'Clock offset {ms} ms',
    free: '{space} free',
    faultLine: 'Fault: {text} ({code})',
  },
);

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1.2 GB: a device's free space as a technician reads it. */
function bytes(value: number): string {
  let unit = 0;
  let amount = value;
  while (amount >= 1024 && unit < UNITS.length - 1) {
    amount /= 1024;
    unit++;
  }
  return `${unit ? amount.toFixed(1) : amount} ${UNITS[unit]}`;
}

/**
 * What a loudspeaker said in its last heartbeat, as it said it (the device's
 * word is the truth: the volume it reports, not the one asked of it). Nothing
 * is shown of what an older device does not report.
 */
export function EndpointReport({ endpoint }: { endpoint: Endpoint }) {
  const t = useMessages(messages);
  const facts = [
    endpoint.version,
    endpoint.volume !== null && t('volume', { volume: endpoint.volume }),
    endpoint.muted && t('muted'),
    endpoint.clockOffsetMs !== null && t('clock', { ms: endpoint.clockOffsetMs }),
    endpoint.freeBytes !== null && t('free', { space: bytes(endpoint.freeBytes) }),
  ].filter(Boolean);
  const reported = endpoint.online && endpoint.state;
  if (!reported && !facts.length) return null;
  return (
    <Flex vertical gap={2}>
      <Flex wrap gap={4} align="center">
        {reported && (
          <StatusTag tone={reported === 'fault' ? 'bad' : reported === 'playing' ? 'info' : 'good'}>
            {t(reported)}
          </StatusTag>
        )}
        <Muted>{facts.join(' · ')}</Muted>
      </Flex>
      {endpoint.fault && (
        <Typography.Text type="danger">
          {t('faultLine', { text: endpoint.fault.text || endpoint.fault.code, code: endpoint.fault.code })}
        </Typography.Text>
      )}
    </Flex>
  );
}
