import { Tag } from 'antd';
import type { ReactNode } from 'react';

/**
 * Solid tags whose white text keeps at least 4.5:1 contrast (WCAG AA): the
 * lighter preset tags (green, orange) fall short of it for small text.
 */
const TONES = {
  good: '#237804',
  warn: '#ad4e00',
  bad: '#a8071a',
  info: '#0958d9',
  idle: '#595959',
} as const;

export type Tone = keyof typeof TONES;

export function StatusTag({ tone, children }: { tone: Tone; children: ReactNode }) {
  return (
    <Tag color={TONES[tone]} style={{ marginInlineEnd: 4 }}>
      {children}
    </Tag>
  );
}
