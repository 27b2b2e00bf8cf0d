import { Alert, Button, Card, Descriptions, Result, Space, Typography } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { StatusTag } from '../../components/status-tag';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages } from './messages';

/** Why signing in or out was refused, in the volunteer's words where the reason is theirs to act on. */
function SignRefusal({ error }: { error: unknown }) {
  const t = useMessages(messages);
  const status = error instanceof ApiFailure ? error.status : null;
  const own = status === 401 ? 'noCard' : status === 403 ? 'otherCounty' : status === 409 ? 'signRefused' : null;
  if (!own) return <FailureAlert error={error} />;
  return <Alert type="warning" showIcon role="alert" title={t(own)} style={{ marginTop: 12 }} />;
}

/** The page of a session's sign-in QR code: the session, and the volunteer's own 签到 / 签退 with their times. */
export default function SessionPage() {
  const t = useMessages(messages);
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const key = search.get('k') ?? '';
  const session = $api.useQuery('get', '/api/v1/public/sessions/{id}', {
    params: { path: { id }, query: { k: key } },
  });
  const signIn = $api.useMutation('post', '/api/v1/volunteer/sessions/{id}/sign-in');
  const signOut = $api.useMutation('post', '/api/v1/volunteer/sessions/{id}/sign-out');

  if (session.isPending) return <PageLoading />;
  if (session.error) {
    const gone = session.error instanceof ApiFailure && [400, 404].includes(session.error.status);
    return gone ? <Result status="404" title={t('sessionGone')} /> : <FailureAlert error={session.error} />;
  }
  const view = session.data;
  const own = view.volunteer?.attendance ?? null;
  const open = view.status === 'planned' && view.mode !== 'on_air';
  const request = { params: { path: { id } }, body: { key } };
  const refresh = { onSettled: () => void session.refetch() };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          {t('sessionTitle')}
        </Typography.Title>
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('topic')}>{view.topicTitle}</Descriptions.Item>
          <Descriptions.Item label={t('village')}>{view.villageName}</Descriptions.Item>
          <Descriptions.Item label={t('startsAt')}>{countyDateTime(view.startsAt)}</Descriptions.Item>
          <Descriptions.Item label={t('status')}>
            <StatusTag tone={view.status === 'planned' ? 'good' : 'idle'}>{t(view.status)}</StatusTag>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {!view.volunteer ? (
        <Alert type="info" showIcon title={t('noCard')} />
      ) : (
        <Card>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 0 }}>
            {t('greeting', { name: view.volunteer.name })}
          </Typography.Title>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('signedInAt')}>
              {own ? countyDateTime(own.signedInAt) : t('notYet')}
            </Descriptions.Item>
            <Descriptions.Item label={t('signedOutAt')}>
              {own?.signedOutAt ? countyDateTime(own.signedOutAt) : t('notYet')}
            </Descriptions.Item>
          </Descriptions>
          {view.mode === 'on_air' ? (
            <Alert type="info" showIcon title={t('onAir')} />
          ) : !open ? (
            <Alert type="warning" showIcon title={t('closed', { status: t(view.status).toLowerCase() })} />
          ) : (
            <Space style={{ width: '100%' }} direction="vertical">
              <Typography.Text type="secondary">{t('oncePerSession')}</Typography.Text>
              <Space wrap>
                <Button
                  type="primary"
                  size="large"
                  disabled={own !== null}
                  loading={signIn.isPending}
                  onClick={() => signIn.mutate(request, refresh)}
                >
                  {t('signIn')}
                </Button>
                <Button
                  size="large"
                  disabled={!own || own.signedOutAt !== null}
                  loading={signOut.isPending}
                  onClick={() => signOut.mutate(request, refresh)}
                >
                  {t('signOut')}
                </Button>
              </Space>
            </Space>
          )}
          <SignRefusal error={signIn.error ?? signOut.error} />
          <div style={{ marginTop: 12 }}>
            <Link to="/v/me">{t('myCard')}</Link>
          </div>
        </Card>
      )}
    </Space>
  );
}
