import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { ApiFailure } from '../../api/errors';
import { useState } from 'react';
import { FailureAlert } from '../../components/failure';
import { common } from '../../i18n/common';
import { defineMessages, useLocale, useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';

const messages = defineMessages(
  {
    title: '登录',
    username: '用户名',
    password: '密码',
    submit: '登录',
    required: '请填写{field}',
    wrong: '用户名或密码不正确',
    wrongAction: '请检查后重试；多次失败后需等待一段时间才能再次登录。',
  },
  {
    title: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    required: 'Enter your {field}',
    wrong: 'Wrong username or password',
    wrongAction: 'Check and try again; after several failures you must wait before trying again.',
  },
);

interface Credentials {
  username: string;
  password: string;
}

export default function SignInPage() {
  const t = useMessages(messages);
  const tc = useMessages(common);
  const { locale, setLocale } = useLocale();
  const { signIn } = useSession();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ username, password }: Credentials) => {
    setBusy(true);
    setFailure(null);
    try {
      await signIn(username, password);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16, background: '#f5f5f5' }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 24, textAlign: 'center' }}>
          {tc('appTitle')}
        </Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t('title')}
        </Typography.Title>
        <Form<Credentials> layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('username')}
            rules={[{ required: true, message: t('required', { field: t('username') }) }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('password')}
            rules={[{ required: true, message: t('required', { field: t('password') }) }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {failure !== null && (
            <Form.Item>
              {failure instanceof ApiFailure && failure.status === 401 ? (
                <Alert type="error" showIcon role="alert" title={t('wrong')} description={t('wrongAction')} />
              ) : (
                <FailureAlert error={failure} />
              )}
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('submit')}
          </Button>
        </Form>
        <Button
          type="link"
          icon={<TranslationOutlined />}
          style={{ marginTop: 12 }}
          onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {tc('language')}
        </Button>
      </Card>
    </main>
  );
}
