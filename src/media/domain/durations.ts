/** "26.7 s", "5 min 3 s", "2 h", "2 h 10 min": how a person reads a length of audio. */
export function humanDuration(seconds: number): string {
  if (seconds < 59.95) return `${Math.round(seconds * 10) / 10} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h) return min ? `${h} h ${min} min` : `${h} h`;
  return s ? `${min} min ${s} s` : `${min} min`;
}
