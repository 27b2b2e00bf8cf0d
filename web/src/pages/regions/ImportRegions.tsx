import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../../api/client';
import { useFailureNotice } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { messages } from './messages';

/**
 * An admin loads a county's division list (the national statistical codes)
 * from a CSV file: read in the browser and sent as text/csv, all or nothing.
 */
export function ImportRegions() {
  const t = useMessages(messages);
  const notify = useFailureNotice();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [busy, setBusy] = useState(false);

  const importFile = async (file: File) => {
    setBusy(true);
    try {
      const csv = await file.text();
      const { data } = await api.POST('/api/v1/regions/import', {
        body: csv,
        bodySerializer: (body) => body,
        headers: { 'content-type': 'text/csv' },
      });
      void message.success(t('imported', { ...data! }));
      // Every region query (the tree's roots and each opened branch) may have changed.
      await queries.invalidateQueries({
        predicate: (query) => String(query.queryKey[1]).startsWith('/api/v1/regions'),
      });
    } catch (error) {
      notify(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Upload
      accept=".csv,text/csv"
      showUploadList={false}
      beforeUpload={(file) => {
        void importFile(file);
        // The file is sent by importFile, not by the Upload's own request.
        return false;
      }}
    >
      <Button icon={<UploadOutlined />} loading={busy} title={t('importHint')}>
        {t('import')}
      </Button>
    </Upload>
  );
}
