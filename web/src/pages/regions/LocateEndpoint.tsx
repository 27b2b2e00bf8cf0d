import { App, Button, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import type { Endpoint } from './endpoint-state';
import { messages } from './messages';

interface Position {
  longitude?: number | null;
  latitude?: number | null;
  address?: string | null;
}

const ADDRESS_MAX = 200;

/** Where a loudspeaker stands (for the map and the upper platform): both coordinates or neither, and in words. */
export function LocateEndpoint({ endpoint }: { endpoint: Endpoint }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Position>();
  const update = $api.useMutation('patch', '/api/v1/endpoints/{id}');

  const close = () => {
    setOpen(false);
    update.reset();
  };
  const submit = ({ longitude, latitude, address }: Position) =>
    update.mutate(
      {
        params: { path: { id: endpoint.id } },
        body: { longitude: longitude ?? null, latitude: latitude ?? null, address: address?.trim() || null },
      },
      {
        onSuccess: () => {
          void message.success(t('located', { name: endpoint.name }));
          void queries.invalidateQueries({ queryKey: ['get', '/api/v1/endpoints'] });
          close();
        },
      },
    );
  // Half a position places the loudspeaker nowhere: the server refuses it, so the form says so first.
  const pairRule = ({ getFieldValue }: { getFieldValue: (name: keyof Position) => unknown }) => ({
    validator: () => {
      const given = [getFieldValue('longitude'), getFieldValue('latitude')].map((v) => v !== null && v !== undefined);
      return given[0] === given[1] ? Promise.resolve() : Promise.reject(new Error(t('bothOrNeither')));
    },
  });

  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('locate')}</Button>
      <Modal
        open={open}
        title={t('locateTitle', { name: endpoint.name })}
        onCancel={close}
        okText={t('save')}
        onOk={() => form.submit()}
        confirmLoading={update.isPending}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('locateHint')}</Typography.Paragraph>
        <Form<Position>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ longitude: endpoint.longitude, latitude: endpoint.latitude, address: endpoint.address }}
          onFinish={submit}
        >
          <Form.Item
            name="longitude"
            label={t('longitude')}
            dependencies={['latitude']}
            rules={[{ type: 'number', min: -180, max: 180, message: t('longitudeRange') }, pairRule]}
          >
            <InputNumber min={-180} max={180} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="latitude"
            label={t('latitude')}
            dependencies={['longitude']}
            rules={[{ type: 'number', min: -90, max: 90, message: t('latitudeRange') }, pairRule]}
          >
            <InputNumber min={-90} max={90} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="address"
            label={t('address')}
            rules={[{ max: ADDRESS_MAX, message: t('addressTooLong', { max: ADDRESS_MAX }) }]}
          >
            <Input placeholder={t('addressPlaceholder')} maxLength={ADDRESS_MAX} showCount />
          </Form.Item>
        </Form>
        <FailureAlert error={update.error} />
      </Modal>
    </>
  );
}
