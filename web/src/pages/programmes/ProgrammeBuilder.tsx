import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { common } from '../../i18n/common';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { duration } from '../../time/county-time';
import { programmeMessages } from './messages';
import { ReadyMediaPicker } from './ReadyMediaPicker';
import { SegmentList } from './SegmentList';
import { CATEGORIES, type Category, type Segment, segmentOf, totalDurationMs } from './segments';

interface Fields {
  title: string;
  category: Category;
}

/** A programme built from ready media in the order it will air, its length shown as it grows. */
export function ProgrammeBuilder() {
  const t = useMessages(programmeMessages);
  const c = useMessages(common);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [segments, setSegments] = useState<Segment[]>([]);
  const [missingSegments, setMissingSegments] = useState(false);
  const save = $api.useMutation('post', '/api/v1/programmes', {
    onSuccess: async (programme) => {
      void message.success(t('saved'));
      await queries.invalidateQueries({ queryKey: ['get', '/api/v1/programmes'] });
      void navigate(`../${programme.id}`, { relative: 'path' });
    },
  });

  const submit = ({ title, category }: Fields) => {
    setMissingSegments(!segments.length);
    if (segments.length)
      save.mutate({ body: { title: title.trim(), category, segments: segments.map((segment) => segment.mediaId) } });
  };

  return (
    <Form<Fields> layout="vertical" initialValues={{ category: 'other' }} onFinish={submit}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('newProgramme')}
      </Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={14}>
          <Form.Item
            name="title"
            label={t('programmeTitle')}
            rules={[{ required: true, whitespace: true, message: t('programmeTitleRequired') }]}
          >
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="category" label={t('categoryLabel')}>
            <Select options={CATEGORIES.map((value) => ({ value, label: t(`category_${value}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <ReadyMediaPicker
            onPick={(media) => {
              setSegments((all) => [...all, segmentOf(media)]);
              setMissingSegments(false);
            }}
          />
        </Col>
        <Col xs={24} lg={14}>
          <SectionCard
            title={t('segmentsTitle')}
            extra={
              <strong aria-live="polite">
                {t('totalDuration', { value: duration(totalDurationMs(segments) / 1000) })}
              </strong>
            }
          >
            <SegmentList segments={segments} onChange={setSegments} />
            {missingSegments && (
              <div role="alert" style={{ color: '#a8071a', marginTop: 8 }}>
                {t('segmentsRequired')}
              </div>
            )}
          </SectionCard>
        </Col>
      </Row>
      <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }}>
        {save.isError && <FailureAlert error={save.error} />}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {c('save')}
          </Button>
          <Button onClick={() => void navigate('..', { relative: 'path' })}>{t('back')}</Button>
        </Space>
      </Space>
    </Form>
  );
}
