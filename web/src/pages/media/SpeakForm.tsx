import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select } from 'antd';
import { $api } from '../../api/client';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { MUTED_TEXT } from '../../components/muted';
import { MediaRefusal } from './MediaRefusal';
import { mediaMessages } from './messages';
import { MEDIA_LIST_KEY } from './use-uploads';

/** What the server's TTS_MAX_CHARS allows by default; the server still decides. */
const MAX_CHARS = 5000;

interface SpeakFields {
  text: string;
  title?: string;
  voice: 'cmn' | 'yue' | 'hak';
}

/** A notice typed as text and spoken by the server (espeak-ng), Mandarin unless chosen otherwise. */
export function SpeakForm() {
  const t = useMessages(mediaMessages);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<SpeakFields>();
  const speak = $api.useMutation('post', '/api/v1/media/tts', {
    onSuccess: () => {
      form.resetFields();
      void message.success(t('speakAccepted'));
      return queries.invalidateQueries({ queryKey: MEDIA_LIST_KEY });
    },
  });

  return (
    <SectionCard title={t('speakTitle')}>
      <Form<SpeakFields>
        form={form}
        layout="vertical"
        initialValues={{ voice: 'cmn' }}
        onFinish={({ text, title, voice }) =>
          speak.mutate({ body: { text, voice, ...(title?.trim() ? { title: title.trim() } : {}) } })
        }
      >
        <Form.Item
          name="text"
          label={t('speakText')}
          rules={[{ required: true, whitespace: true, message: t('speakTextRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={MAX_CHARS} showCount styles={{ count: MUTED_TEXT }} />
        </Form.Item>
        <Form.Item name="title" label={t('speakTitleLabel')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="voice" label={t('speakVoice')}>
          <Select
            options={[
              { value: 'cmn', label: t('voiceCmn') },
              { value: 'yue', label: t('voiceYue') },
              { value: 'hak', label: t('voiceHak') },
            ]}
          />
        </Form.Item>
        {speak.isError && <MediaRefusal error={speak.error} />}
        <Button type="primary" htmlType="submit" loading={speak.isPending} style={{ marginTop: 8 }}>
          {t('speakSubmit')}
        </Button>
      </Form>
    </SectionCard>
  );
}
