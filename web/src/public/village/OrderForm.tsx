import { Button, Form, Input, Radio, Result, Space, Typography } from 'antd';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';
import { TYPED_PHONE } from '../phone';

interface Topic {
  id: string;
  title: string;
  summary: string | null;
}
interface OrderFields {
  topicId: string;
  notes?: string;
  phone?: string;
}

// A 429 that lasts past the hour is the village's daily cap, not a burst from this phone.
const isDailyCap = (error: unknown) =>
  error instanceof ApiFailure && error.status === 429 && (error.retryAfterSeconds ?? 0) > 3600;

/** 点单: a topic from the menu, an optional note and phone; a confirmation once the county has it. */
export function OrderForm({ code, topics }: { code: string; topics: Topic[] }) {
  const t = useMessages(messages);
  const [form] = Form.useForm<OrderFields>();
  const order = $api.useMutation('post', '/api/v1/public/villages/{code}/orders');

  if (order.data)
    return (
      <Result
        status="success"
        title={t('ordered')}
        subTitle={
          <>
            <div>{t('orderedDetail', { topic: order.data.topicTitle })}</div>
            {order.data.contactPhone && <div>{t('orderedPhone', { phone: order.data.contactPhone })}</div>}
          </>
        }
        extra={
          <Button
            onClick={() => {
              form.resetFields();
              order.reset();
            }}
          >
            {t('orderAgain')}
          </Button>
        }
      />
    );

  const submit = ({ topicId, notes, phone }: OrderFields) =>
    order.mutate({
      params: { path: { code } },
      body: { topicId, ...(notes?.trim() ? { notes } : {}), ...(phone?.trim() ? { phone: phone.trim() } : {}) },
    });
  return (
    <Form form={form} layout="vertical" onFinish={submit} disabled={!topics.length}>
      <Form.Item name="topicId" label={t('topic')} rules={[{ required: true, message: t('topicRequired') }]}>
        {topics.length ? (
          <Radio.Group>
            <Space direction="vertical">
              {topics.map((topic) => (
                <Radio key={topic.id} value={topic.id}>
                  {topic.title}
                  {topic.summary && (
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      {topic.summary}
                    </Typography.Text>
                  )}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        ) : (
          <Typography.Text>{t('noTopics')}</Typography.Text>
        )}
      </Form.Item>
      <Form.Item name="notes" label={t('notes')}>
        <Input.TextArea maxLength={500} rows={3} placeholder={t('notesPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('phone')}
        extra={t('phoneHelp')}
        rules={[{ pattern: TYPED_PHONE, message: t('phoneInvalid') }]}
      >
        <Input inputMode="tel" autoComplete="tel" maxLength={20} />
      </Form.Item>
      {isDailyCap(order.error) ? (
        <Result status="warning" title={t('dailyCapReached')} />
      ) : (
        <FailureAlert error={order.error} />
      )}
      <Button type="primary" htmlType="submit" block size="large" loading={order.isPending}>
        {t('submit')}
      </Button>
    </Form>
  );
}
