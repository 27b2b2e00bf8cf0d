import { useEffect, useState } from 'react';

/** The time now, moving on every `everyMs`: countdowns and "has it begun" follow the clock without a reload. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
