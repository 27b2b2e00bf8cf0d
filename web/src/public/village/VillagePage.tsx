import { Card, Result, Space, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { common } from '../../i18n/common';
import { useMessages } from '../../i18n/i18n';
import { Replays, Today } from './Airing';
import { messages } from './messages';
import { OrderForm } from './OrderForm';

/** A village's page, opened from its poster: the month's theme, ordering a lecture, today's airing and replays. */
export default function VillagePage() {
  const t = useMessages(messages);
  const c = useMessages(common);
  const code = useParams().code ?? '';
  const page = $api.useQuery('get', '/api/v1/public/villages/{code}', { params: { path: { code } } }, { retry: false });
  if (page.error instanceof ApiFailure && page.error.status === 404)
    return <Result status="404" title={c('publicNotFound')} />;
  if (page.error) return <FailureAlert error={page.error} />;
  if (!page.data) return <Card loading />;
  const { place, theme, topics } = page.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <header>
        <Typography.Title level={1} style={{ marginBottom: 0, fontSize: 26 }}>
          {place.village}
        </Typography.Title>
        <Typography.Text>{[place.county, place.township].filter(Boolean).join(' · ')}</Typography.Text>
      </header>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('theme')}</h2>}>
        {theme ? (
          <>
            <Typography.Title level={3} style={{ marginTop: 0, fontSize: 20 }}>
              {theme.title}
            </Typography.Title>
            {theme.summary && <Typography.Paragraph>{theme.summary}</Typography.Paragraph>}
          </>
        ) : (
          <Typography.Text>{t('noTheme')}</Typography.Text>
        )}
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('orderTitle')}</h2>}>
        <Typography.Paragraph>{t('orderIntro')}</Typography.Paragraph>
        <OrderForm code={code} topics={topics} />
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('today')}</h2>}>
        <Today code={code} />
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('replays')}</h2>}>
        <Typography.Paragraph>{t('replaysIntro')}</Typography.Paragraph>
        <Replays code={code} />
      </Card>
      <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('volunteer')}</h2>}>
        <Typography.Paragraph>{t('volunteerIntro')}</Typography.Paragraph>
        <Link to={`/v/village/${encodeURIComponent(code)}/volunteer`}>{t('volunteer')}</Link>
      </Card>
    </Space>
  );
}
