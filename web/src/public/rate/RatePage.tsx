import { Button, Card, Form, Input, Radio, Result, Space, Typography } from 'antd';
import { useParams } from 'react-router';
import { $api } from '../../api/client';
import { ApiFailure } from '../../api/errors';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { countyDate } from '../../time/county-time';
import { messages } from './messages';

const RATINGS = ['excellent', 'satisfied', 'unsatisfied'] as const;
type Rating = (typeof RATINGS)[number];

/** 评单: the villager's own rating of a delivered lecture, through the one-time link the lecturer showed. */
export default function RatePage() {
  const t = useMessages(messages);
  const token = useParams().token ?? '';
  const params = { params: { path: { token } } };
  const about = $api.useQuery('get', '/api/v1/public/ratings/{token}', params, { retry: false });
  const rate = $api.useMutation('post', '/api/v1/public/ratings/{token}');
  const [form] = Form.useForm<{ rating: Rating; comment?: string }>();

  if (about.error instanceof ApiFailure && about.error.status === 404)
    return <Result status="404" title={t('notFound')} />;
  if (about.error) return <FailureAlert error={about.error} />;
  if (!about.data) return <Card loading />;
  if (rate.data) return <Result status="success" title={t('thanks')} subTitle={t('thanksDetail')} />;
  const spent = about.data.rated || (rate.error instanceof ApiFailure && rate.error.status === 409);
  if (spent) return <Result status="info" title={t('alreadyRated')} subTitle={t('alreadyRatedDetail')} />;

  const { village, topicTitle, teamName, deliveredAt } = about.data;
  return (
    <Card>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Title level={1} style={{ marginTop: 0, fontSize: 24 }}>
          {t('title')}
        </Typography.Title>
        <Typography.Text strong>{t('about', { village, topic: topicTitle })}</Typography.Text>
        {teamName && deliveredAt && (
          <Typography.Text>
            {t('deliveredBy', { team: teamName, date: countyDate(new Date(deliveredAt)) })}
          </Typography.Text>
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={({ rating, comment }) =>
            rate.mutate({ ...params, body: { rating, ...(comment?.trim() ? { comment } : {}) } })
          }
        >
          <Form.Item name="rating" rules={[{ required: true, message: t('ratingRequired') }]}>
            <Radio.Group
              aria-label={t('title')}
              optionType="button"
              buttonStyle="solid"
              size="large"
              options={RATINGS.map((rating) => ({ value: rating, label: t(rating) }))}
            />
          </Form.Item>
          <Form.Item name="comment" label={t('comment')}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
          <FailureAlert error={rate.error} />
          <Button type="primary" htmlType="submit" block size="large" loading={rate.isPending}>
            {t('submit')}
          </Button>
        </Form>
      </Space>
    </Card>
  );
}
