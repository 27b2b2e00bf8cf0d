import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import type { LiveSession, LiveStart } from './live-api';
import { ingestSocketUrl, LIVE_GRACE_SECONDS } from './live-logic';
import { LiveSpeaker, type AudioSocket, type LogEntry, type SocketEvents, type Speaking } from './live-speaker';

export type SpeakerState =
  | { phase: 'idle' }
  | { phase: 'microphone' }
  | { phase: 'mic-refused'; reason: string }
  | { phase: 'start-refused'; error: unknown }
  | Speaking;

/** MediaRecorder's timeslice: a chunk every quarter second keeps the delay to the loudspeakers short. */
const TIMESLICE_MS = 250;

/** WebM/Opus where the browser records it (Chromium, Firefox), else Ogg/Opus, else the browser's own choice. */
function recorderMime(): string | undefined {
  return ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus'].find((type) => MediaRecorder.isTypeSupported(type));
}

function record(stream: MediaStream, onChunk: (chunk: Blob) => void): { stop(): void } {
  const mimeType = recorderMime();
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
  recorder.ondataavailable = (event) => {
    if (event.data.size) onChunk(event.data);
  };
  recorder.start(TIMESLICE_MS);
  return {
    stop: () => {
      if (recorder.state !== 'inactive') recorder.stop();
    },
  };
}

function openSocket(url: string, events: SocketEvents): AudioSocket {
  const socket = new WebSocket(url);
  socket.onopen = () => events.open();
  socket.onmessage = (event) => events.message(event.data);
  socket.onclose = (event) => events.close(event.code);
  return {
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (chunk) => socket.send(chunk),
    close: () => socket.close(),
  };
}

const endSession = (id: string) => api.POST('/api/v1/live-sessions/{id}/end', { params: { path: { id } } });

const reload = async (id: string) => (await api.GET('/api/v1/live-sessions/{id}', { params: { path: { id } } })).data!;

/**
 * Live voice from this browser: the microphone first (a refused microphone
 * creates no session), then the session, then the audio socket. The
 * microphone is released as soon as the session is over or the page is left.
 */
export function useLiveSpeaker() {
  const [state, setState] = useState<SpeakerState>({ phase: 'idle' });
  const [log, setLog] = useState<LogEntry[]>([]);
  const [analyser, setAnalyser] = useState<AnalyserNode | null>(null);
  const speaker = useRef<LiveSpeaker | null>(null);
  const microphone = useRef<{ stream: MediaStream; audio: AudioContext | null } | null>(null);
  // The page may be left while the microphone or the server is being asked: nothing may start after that.
  const mounted = useRef(false);
  const supported = typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  const release = useCallback(() => {
    speaker.current?.dispose();
    speaker.current = null;
    const held = microphone.current;
    microphone.current = null;
    held?.stream.getTracks().forEach((track) => track.stop());
    void held?.audio?.close();
    setAnalyser(null);
  }, []);

  const start = useCallback(
    async (body: LiveStart) => {
      setLog([]);
      setState({ phase: 'microphone' });
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (error) {
        setState({ phase: 'mic-refused', reason: error instanceof Error ? error.message : String(error) });
        return;
      }
      if (!mounted.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      microphone.current = { stream, audio: meter(stream, setAnalyser) };
      let created: { session: LiveSession; ingestUrl: string };
      try {
        created = (await api.POST('/api/v1/live-sessions', { body })).data!;
      } catch (error) {
        release();
        setState({ phase: 'start-refused', error });
        return;
      }
      if (!mounted.current) {
        release();
        endSession(created.session.id).catch(() => undefined);
        return;
      }
      speaker.current = new LiveSpeaker(
        created.session,
        ingestSocketUrl(created.ingestUrl, window.location),
        LIVE_GRACE_SECONDS,
        {
          openSocket,
          record: (onChunk) => record(stream, onChunk),
          now: () => Date.now(),
          later: (run, ms) => {
            const timer = setTimeout(run, ms);
            return () => clearTimeout(timer);
          },
          reload,
        },
        (next, entries) => {
          setState(next);
          setLog(entries);
          if (next.phase === 'ended' || next.phase === 'refused') release();
        },
      );
      setState(speaker.current.current);
    },
    [release],
  );

  /** 结束喊话: stop sending now and ask the server to end it; the socket then brings its word. */
  const end = useCallback(async () => {
    const current = speaker.current;
    if (!current) return;
    current.ending();
    try {
      await endSession(current.current.session.id);
    } catch (error) {
      current.hangUp();
      throw error;
    }
  }, []);

  const reset = useCallback(() => {
    release();
    setLog([]);
    setState({ phase: 'idle' });
  }, [release]);

  // Leaving the page ends the session at once rather than after the grace period's silence on the loudspeakers.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      const phase = speaker.current?.current.phase;
      // Refused or unreachable: the server still ends it once the grace period passes.
      if (phase && phase !== 'ended' && phase !== 'refused')
        endSession(speaker.current!.current.session.id).catch(() => undefined);
      release();
    };
  }, [release]);

  return { state, log, analyser, supported, start, end, reset };
}

/** The microphone's level for the meter (WebAudio); a browser without WebAudio just shows no meter. */
function meter(stream: MediaStream, show: (analyser: AnalyserNode) => void): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 512;
  audio.createMediaStreamSource(stream).connect(analyser);
  show(analyser);
  return audio;
}
