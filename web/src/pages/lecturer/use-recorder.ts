import { useCallback, useEffect, useRef, useState } from 'react';

export type Recording =
  | { phase: 'idle' }
  | { phase: 'recording'; startedAt: number }
  | { phase: 'recorded'; file: File; url: string; seconds: number }
  | { phase: 'refused'; reason: string };

/**
 * Records from the phone's microphone (getUserMedia and MediaRecorder) into
 * a file the media upload takes like any other; the browser's own format
 * (WebM/Opus in Chromium, MP4/AAC in Safari) is turned into the broadcast
 * rendition by the server.
 */
export function useRecorder() {
  const [recording, setRecording] = useState<Recording>({ phase: 'idle' });
  const recorder = useRef<MediaRecorder | null>(null);
  const supported = typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

  const start = useCallback(async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      setRecording({ phase: 'refused', reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    const chunks: Blob[] = [];
    const media = new MediaRecorder(stream);
    const startedAt = Date.now();
    media.ondataavailable = (event) => {
      if (event.data.size) chunks.push(event.data);
    };
    media.onstop = () => {
      stream.getTracks().forEach((track) => track.stop());
      const type = media.mimeType || 'audio/webm';
      const extension = type.includes('mp4') ? 'm4a' : type.includes('ogg') ? 'ogg' : 'webm';
      const file = new File(chunks, `recording-${startedAt}.${extension}`, { type });
      setRecording({
        phase: 'recorded',
        file,
        url: URL.createObjectURL(file),
        seconds: Math.round((Date.now() - startedAt) / 1000),
      });
    };
    recorder.current = media;
    // Chunks every second: a long talk is not held in one piece until the end.
    media.start(1000);
    setRecording({ phase: 'recording', startedAt });
  }, []);

  const stop = useCallback(() => recorder.current?.stop(), []);

  const reset = useCallback(() => {
    setRecording((current) => {
      if (current.phase === 'recorded') URL.revokeObjectURL(current.url);
      return { phase: 'idle' };
    });
  }, []);

  // Leaving the page stops the microphone.
  useEffect(
    () => () => {
      if (recorder.current?.state === 'recording') recorder.current.stop();
    },
    [],
  );

  return { recording, supported, start, stop, reset };
}
