import { Button, Drawer, Grid, Space } from 'antd';
import type { ReactNode } from 'react';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';

/** The drawer a rule or a webhook is edited in: full width on a phone, cancel and save at the top. */
export function EditDrawer({
  title,
  saving,
  onSave,
  onClose,
  children,
}: {
  title: string;
  saving: boolean;
  onSave: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  const t = useMessages(messages);
  const phone = !Grid.useBreakpoint().md;
  return (
    <Drawer
      open
      onClose={onClose}
      title={title}
      size={phone ? '100%' : 520}
      extra={
        <Space>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave}>
            {t('save')}
          </Button>
        </Space>
      }
    >
      {children}
    </Drawer>
  );
}
