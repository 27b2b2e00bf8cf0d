import { useEffect, useRef } from 'react';
import { useMessages } from '../../i18n/i18n';
import { liveMessages } from './messages';

/**
 * How loud the microphone is, so the speaker sees it hears them. Drawn by
 * setting the meter's value each animation frame, not through React state:
 * sixty renders a second of the page for one bar would be wasted.
 */
export function LevelMeter({ analyser }: { analyser: AnalyserNode }) {
  const t = useMessages(liveMessages);
  const bar = useRef<HTMLMeterElement>(null);
  useEffect(() => {
    const samples = new Uint8Array(analyser.fftSize);
    let frame = requestAnimationFrame(function draw() {
      analyser.getByteTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += ((sample - 128) / 128) ** 2;
      // RMS, stretched: speech sits around 0.05–0.3, which would leave most of the bar empty.
      if (bar.current) bar.current.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      frame = requestAnimationFrame(draw);
    });
    return () => cancelAnimationFrame(frame);
  }, [analyser]);
  return (
    <meter
      ref={bar}
      aria-label={t('level')}
      min={0}
      max={1}
      value={0}
      style={{ width: '100%', maxWidth: 360, height: 16 }}
    />
  );
}
