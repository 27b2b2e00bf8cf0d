import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';
import { TYPED_PHONE } from '../phone';

interface Fields {
  name: string;
  phone: string;
}

/** From the village poster's second QR code: a volunteer registers with their name and phone, and this phone keeps their card. */
export default function RegisterPage() {
  const t = useMessages(messages);
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const register = $api.useMutation('post', '/api/v1/public/villages/{posterCode}/volunteers');
  const refused = register.error instanceof ApiFailure ? register.error.status : null;

  const submit = (body: Fields) =>
    register.mutate({ params: { path: { posterCode: code } }, body }, { onSuccess: () => void navigate('/v/me') });

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('registerTitle')}
      </Typography.Title>
      <Typography.Paragraph>{t('registerIntro')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="name"
          label={t('name')}
          extra={t('nameHint')}
          rules={[{ required: true, whitespace: true, message: t('nameRequired') }, { max: 30 }]}
        >
          <Input autoComplete="name" maxLength={30} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('phone')}
          extra={t('phoneHint')}
          rules={[{ required: true, pattern: TYPED_PHONE, message: t('phoneRequired') }]}
        >
          <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={register.isPending}>
          {t('register')}
        </Button>
      </Form>
      <div style={{ marginTop: 16 }}>
        {refused === 409 ? (
          <Alert
            type="warning"
            showIcon
            role="alert"
            title={t('nameTaken', { name: String(form.getFieldValue('name') ?? '') })}
          />
        ) : refused === 404 ? (
          <Alert type="error" showIcon role="alert" title={t('posterGone')} />
        ) : (
          <FailureAlert error={register.error} />
        )}
      </div>
    </Card>
  );
}
