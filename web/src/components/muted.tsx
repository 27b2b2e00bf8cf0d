import type { ReactNode } from 'react';

/**
 * Quieter text that still reads on a sunlit phone: antd's "secondary" grey
 * (45 % black) falls below the 4.5:1 contrast WCAG AA asks of body text; 65 % passes.
 */
export function Muted({ children }: { children: ReactNode }) {
  return <span style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{children}</span>;
}
