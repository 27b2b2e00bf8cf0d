import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Muted } from './muted';

/** A page's heading with a line saying what the page is for, above its sections. */
export function TitledPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Muted>{intro}</Muted>
      {children}
    </Flex>
  );
}
