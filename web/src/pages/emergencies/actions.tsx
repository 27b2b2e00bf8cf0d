import { CheckOutlined, DownloadOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { $api, api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useRegionNames } from '../../components/regions/regions';
import { approval, cancellable, type Alert, type ApprovalBlock } from './approval';
import { severityText } from './labels';
import { messages, type MessageKey } from './messages';
import { useAudio, useRefreshAlerts } from './queries';

const BLOCK_TEXT: Record<ApprovalBlock, MessageKey> = {
  ownDraft: 'ownDraft',
  expired: 'expired',
  audioPreparing: 'waitAudio',
  audioFailed: 'audioBroken',
};

/**
 * Approve, for approvers, on drafts. When the page knows the server would
 * refuse (the approver drafted it, the audio is not ready…) the button is
 * disabled and the reason is written beside it: phones have no hover.
 */
export function ApproveButton({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const { user, can } = useSession();
  const { modal, message } = App.useApp();
  const notify = useFailureNotice();
  const refresh = useRefreshAlerts();
  const canApprove = can('emergencies.approve');
  const audio = useAudio(alert.mediaId, canApprove && alert.status === 'draft');
  const regions = useRegionNames(alert.regionCodes, (n) => t('moreRegions', { n }));
  const approve = $api.useMutation('post', '/api/v1/emergencies/{id}/approve');
  const state = approval(alert, { id: user?.id ?? '', canApprove }, audio.data?.status, new Date());
  if (!state.offer) return null;

  const confirm = () =>
    modal.confirm({
      title: t('approveConfirm'),
      content:
        t('approveConfirmText', { severity: severityText(t, alert.level), regions }) +
        (alert.drill ? t('approveConfirmDrill') : ''),
      okText: t('approve'),
      onOk: () =>
        approve.mutateAsync({ params: { path: { id: alert.id } } }).then(
          async () => {
            void message.success(t('approved'));
            await refresh();
          },
          (error: unknown) => {
            notify(error);
            return refresh();
          },
        ),
    });

  return (
    <Space orientation="vertical" size={2}>
      <Button type="primary" icon={<CheckOutlined />} disabled={!state.usable} onClick={confirm}>
        {t('approve')}
      </Button>
      {!state.usable && <Typography.Text type="secondary">{t(BLOCK_TEXT[state.because])}</Typography.Text>}
    </Space>
  );
}

/** Cancel a draft (withdrawn) or a live alert (ended now, devices told), with an optional reason for the record. */
export function CancelButton({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const { can } = useSession();
  const { message } = App.useApp();
  const refresh = useRefreshAlerts();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason?: string }>();
  const cancel = $api.useMutation('post', '/api/v1/emergencies/{id}/cancel');
  if (!can('emergencies.cancel') || !cancellable(alert.status)) return null;

  const submit = ({ reason }: { reason?: string }) =>
    cancel.mutate(
      { params: { path: { id: alert.id } }, body: reason?.trim() ? { reason: reason.trim() } : {} },
      {
        onSuccess: () => {
          setOpen(false);
          void message.success(t('cancelled'));
          void refresh();
        },
      },
    );

  return (
    <>
      <Button danger icon={<StopOutlined />} onClick={() => setOpen(true)}>
        {t('cancelAlert')}
      </Button>
      <Modal
        open={open}
        title={t('cancelConfirm')}
        okText={t('cancelAlert')}
        okButtonProps={{ danger: true, loading: cancel.isPending }}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>{t(alert.status === 'draft' ? 'cancelDraft' : 'cancelLive')}</Typography.Paragraph>
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="reason" label={t('cancelReason')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
        <FailureAlert error={cancel.error} />
      </Modal>
    </>
  );
}

/** The alert as an OASIS CAP 1.2 file, for the province's platform or a neighbouring county. */
export function ExportCapButton({ alert }: { alert: Alert }) {
  const t = useMessages(messages);
  const notify = useFailureNotice();
  const download = async () => {
    try {
      const { data } = await api.GET('/api/v1/emergencies/{id}/cap', {
        params: { path: { id: alert.id } },
        parseAs: 'blob',
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(data as Blob);
      link.download = `dalaba-${alert.id}.cap.xml`;
      link.click();
      // The browser reads the file after this click returns; the URL is freed once it surely has.
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch (error) {
      notify(error);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} onClick={() => void download()}>
      {t('exportCap')}
    </Button>
  );
}
