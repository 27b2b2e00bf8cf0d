import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, QRCode, Space, Typography } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { RegionPicker } from '../../components/regions/RegionTree';
import { useMessages } from '../../i18n/i18n';
import { countyDateTime } from '../../time/county-time';
import { messages } from './messages';

// Printing the page prints the poster alone, on one A4 sheet: the console's frame and the controls stay on screen.
const PRINT_CSS = `
@media print {
  @page { size: A4 portrait; margin: 15mm; }
  .ant-layout-sider, .ant-layout-header, .poster-controls { display: none !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; padding: 0 !important; }
  .village-poster { border: none !important; box-shadow: none !important; }
}`;

/** The printable poster: the village's name, its QR code and what scanning it offers. */
function Poster({ place, url }: { place: { village: string; township: string | null; county: string }; url: string }) {
  const t = useMessages(messages);
  return (
    <Card className="village-poster" style={{ textAlign: 'center', maxWidth: 560, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ marginBottom: 4 }}>
        {place.village}
      </Typography.Title>
      <Typography.Paragraph style={{ fontSize: 18 }}>
        {[place.county, place.township].filter(Boolean).join(' · ')}
      </Typography.Paragraph>
      {/* The address is the QR code's text alternative: read out, and the same text the code holds. */}
      <div style={{ display: 'inline-block' }}>
        <QRCode value={url} size={280} bordered={false} errorLevel="M" aria-label={t('qrLabel', { url })} />
      </div>
      <Typography.Title level={2}>{t('callToAction')}</Typography.Title>
      <Typography.Paragraph style={{ fontSize: 16 }}>{t('posterLines')}</Typography.Paragraph>
      <Typography.Text style={{ wordBreak: 'break-all' }}>{url}</Typography.Text>
    </Card>
  );
}

function VillagePoster({ code }: { code: string }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const params = { params: { path: { code } } };
  const poster = $api.useQuery('get', '/api/v1/regions/{code}/poster', params);
  const refresh = () => queries.invalidateQueries({ queryKey: ['get', '/api/v1/regions/{code}/poster'] });
  const open = $api.useMutation('post', '/api/v1/regions/{code}/poster', {
    onSuccess: () => void refresh().then(() => message.success(t('opened'))),
  });
  const close = $api.useMutation('delete', '/api/v1/regions/{code}/poster', {
    onSuccess: () => void refresh().then(() => message.success(t('closed'))),
  });
  if (poster.error) return <FailureAlert error={poster.error} />;
  if (!poster.data) return <Card loading />;
  const { data } = poster;
  const url = data.path ? `${window.location.origin}${data.path}` : null;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <FailureAlert error={open.error ?? close.error} />
      <Space wrap className="poster-controls">
        {url ? (
          <>
            <Button type="primary" onClick={() => window.print()}>
              {t('print')}
            </Button>
            <Popconfirm title={t('replaceConfirm')} onConfirm={() => open.mutate(params)}>
              <Button loading={open.isPending}>{t('replace')}</Button>
            </Popconfirm>
            <Popconfirm title={t('closeConfirm')} onConfirm={() => close.mutate(params)}>
              <Button danger loading={close.isPending}>
                {t('close')}
              </Button>
            </Popconfirm>
            {data.openedAt && (
              <Typography.Text>{t('openedAt', { time: countyDateTime(data.openedAt) })}</Typography.Text>
            )}
          </>
        ) : (
          <Button type="primary" loading={open.isPending} onClick={() => open.mutate(params)}>
            {t('open')}
          </Button>
        )}
      </Space>
      {url ? <Poster place={data.place} url={url} /> : <Empty description={t('notOpen')} />}
    </Space>
  );
}

/** Each village's QR poster: make, print, replace or close it. */
export default function PostersPage() {
  const t = useMessages(messages);
  const [village, setVillage] = useState<string>();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <style>{PRINT_CSS}</style>
      <div className="poster-controls">
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('title')}
        </Typography.Title>
        <Typography.Paragraph>{t('intro')}</Typography.Paragraph>
        <label htmlFor="poster-village">{t('village')}</label>
        <RegionPicker
          id="poster-village"
          placeholder={t('pickVillage')}
          value={village}
          onChange={(value) => setVillage(typeof value === 'string' ? value : undefined)}
        />
      </div>
      {village && <VillagePoster key={village} code={village} />}
    </Space>
  );
}
