import { PoweroffOutlined, RedoOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Space, Typography } from 'antd';
import { Muted } from '../../components/muted';
import { useRegionNames } from '../../components/regions/regions';
import { useLocale, useMessages } from '../../i18n/i18n';
import { countyClock, duration } from '../../time/county-time';
import { useElapsed } from '../../time/use-elapsed';
import { endReasonText, LIVE_GRACE_SECONDS } from './live-logic';
import type { LogEntry, Speaking } from './live-speaker';
import { LevelMeter } from './LevelMeter';
import { PriorityTag } from './live-tags';
import { liveMessages, type LiveMessage } from './messages';
import { useLiveSession } from './queries';
import { Recording } from './Recording';

const BIG = { height: 48, fontSize: 18 };

const PHASE: Record<Speaking['phase'], { key: LiveMessage; colour: string }> = {
  connecting: { key: 'phaseConnecting', colour: '#ad4e00' },
  live: { key: 'phaseLive', colour: '#a8071a' },
  reconnecting: { key: 'phaseReconnecting', colour: '#ad4e00' },
  ending: { key: 'phaseEnding', colour: '#595959' },
  ended: { key: 'phaseEnded', colour: '#595959' },
  refused: { key: 'phaseEnded', colour: '#595959' },
};

const REFUSAL: Record<Extract<Speaking, { phase: 'refused' }>['refusal'], LiveMessage> = {
  badToken: 'refusedBadToken',
  foreignOrigin: 'refusedForeignOrigin',
  taken: 'refusedTaken',
};

function logLine(
  t: (key: LiveMessage, values?: Record<string, string | number>) => string,
  entry: LogEntry,
  urgent: boolean,
): string {
  switch (entry.kind) {
    case 'connected':
      return t('logConnected');
    case 'reconnected':
      return t('logReconnected', { n: entry.attempt ?? 1 });
    case 'dropped':
      return t('logDropped', { seconds: entry.graceSeconds ?? 0 });
    case 'starting':
      return t('logStarting');
    case 'live':
      return t(urgent ? 'logLiveUrgent' : 'logLiveNormal');
    case 'ended':
      return t('logEnded');
  }
}

function EndedSession({ state }: { state: Extract<Speaking, { phase: 'ended' }> }) {
  const t = useMessages(liveMessages);
  const { locale } = useLocale();
  const session = useLiveSession(state.session).data ?? state.session;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('endedBecause', { reason: endReasonText(session.endReason ?? state.reason, locale) })}
      </Typography.Text>
      <Recording session={session} />
    </Space>
  );
}

/**
 * The session being spoken from this browser: where it stands (连接中, 正在喊话
 * with the time on air, reconnecting), the microphone's level, 结束喊话, what
 * the server and the socket said, and once it is over why and its recording.
 */
export function OnAir({
  state,
  log,
  analyser,
  onEnd,
  onAgain,
}: {
  state: Speaking;
  log: LogEntry[];
  analyser: AnalyserNode | null;
  onEnd: () => void;
  onAgain: () => void;
}) {
  const t = useMessages(liveMessages);
  const liveSince = state.phase === 'live' || state.phase === 'reconnecting' ? state.liveSince : null;
  const elapsed = useElapsed(state.phase === 'live' ? state.liveSince : null);
  const regions = useRegionNames(state.session.regionCodes, (n) => t('moreRegions', { n }));
  const over = state.phase === 'ended' || state.phase === 'refused';
  const phase = PHASE[state.phase];

  return (
    <Flex vertical gap={12}>
      <div role="status">
        <Typography.Text strong style={{ fontSize: 22, color: phase.colour }}>
          {state.phase === 'live' ? '● ' : ''}
          {t(phase.key)}
        </Typography.Text>
        {liveSince !== null && (
          <div>
            <Typography.Text role="timer" aria-live="off">
              {t('liveSince', { at: countyClock(new Date(liveSince), true), elapsed: duration(elapsed) })}
            </Typography.Text>
          </div>
        )}
      </div>
      <Space wrap size={4}>
        <PriorityTag priority={state.session.priority} />
        <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
          {state.session.title}
        </Typography.Text>
      </Space>
      <Muted>{regions}</Muted>
      {state.phase === 'reconnecting' && (
        <Alert type="warning" showIcon title={t('reconnectingHelp', { grace: LIVE_GRACE_SECONDS })} />
      )}
      {state.phase === 'refused' && <Alert type="error" showIcon role="alert" title={t(REFUSAL[state.refusal])} />}
      {analyser && !over && <LevelMeter analyser={analyser} />}
      {state.phase === 'ended' && <EndedSession state={state} />}
      {over ? (
        <Button type="primary" icon={<RedoOutlined />} style={BIG} block onClick={onAgain}>
          {t('again')}
        </Button>
      ) : (
        <Button
          type="primary"
          danger
          icon={<PoweroffOutlined />}
          style={BIG}
          block
          loading={state.phase === 'ending'}
          onClick={onEnd}
        >
          {t('end')}
        </Button>
      )}
      {log.length > 0 && (
        <section aria-label={t('log')}>
          <ol aria-live="polite" style={{ margin: 0, paddingInlineStart: 20 }}>
            {log.map((entry, index) => (
              <li key={index}>
                <Muted>
                  {countyClock(new Date(entry.at), true)} {logLine(t, entry, state.session.priority === 'urgent')}
                </Muted>
              </li>
            ))}
          </ol>
        </section>
      )}
    </Flex>
  );
}
