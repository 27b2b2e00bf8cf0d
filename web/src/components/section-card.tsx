import { Card } from 'antd';
import { useId, type ReactNode } from 'react';

/**
 * A card that is a named region of the page: its title is a heading (so a
 * screen reader can jump between sections) and names the region.
 */
export function SectionCard({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  const heading = useId();
  return (
    <Card
      role="region"
      aria-labelledby={heading}
      title={
        <h2 id={heading} style={{ margin: 0, fontSize: 16 }}>
          {title}
        </h2>
      }
      extra={extra}
      styles={{ header: { flexWrap: 'wrap', gap: 8 } }}
    >
      {children}
    </Card>
  );
}
