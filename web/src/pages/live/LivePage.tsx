import { useEffect } from 'react';
import { TitledPage } from '../../components/page-title';
import { SectionCard } from '../../components/section-card';
import { useFailureNotice } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { liveMessages } from './messages';
import { OnAir } from './OnAir';
import { SessionList, useRefreshSessions } from './SessionList';
import { SpeakForm, type StartProblem } from './SpeakForm';
import { useLiveSpeaker, type SpeakerState } from './use-live-speaker';

const problemOf = (state: SpeakerState): StartProblem | null =>
  state.phase === 'mic-refused'
    ? { kind: 'microphone', reason: state.reason }
    : state.phase === 'start-refused'
      ? { kind: 'server', error: state.error }
      : null;

/** /live: speak to regions in scope from this browser, and every session in scope. */
export default function LivePage() {
  const t = useMessages(liveMessages);
  const notify = useFailureNotice();
  const { can } = useSession();
  const refresh = useRefreshSessions();
  const { state, log, analyser, supported, start, end, reset } = useLiveSpeaker();
  const phase = state.phase;

  // The list shows this browser's session as it starts, goes live and ends.
  useEffect(() => {
    void refresh();
  }, [phase, refresh]);

  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      {can('live.speak') && (
        <SectionCard title={t('speak')}>
          {'session' in state ? (
            <OnAir
              state={state}
              log={log}
              analyser={analyser}
              onEnd={() => void end().catch((error: unknown) => notify(error))}
              onAgain={reset}
            />
          ) : (
            <SpeakForm
              supported={supported}
              busy={phase === 'microphone'}
              problem={problemOf(state)}
              onStart={(body) => void start(body)}
            />
          )}
        </SectionCard>
      )}
      <SectionCard title={t('sessions')}>
        <SessionList />
      </SectionCard>
    </TitledPage>
  );
}
