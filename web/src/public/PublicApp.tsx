import { App, Layout, Result } from 'antd';
import { Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { PageLoading } from '../components/page-loading';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/i18n';
import { PUBLIC_PAGES } from './routes';

/** The frame of the villagers' and volunteers' pages: one column, made for a phone held in one hand. */
export default function PublicApp() {
  const t = useMessages(common);
  return (
    <BrowserRouter>
      <App>
        <Layout style={{ minHeight: '100vh' }}>
          <Layout.Content style={{ padding: 12, maxWidth: 640, width: '100%', margin: '0 auto' }}>
            <main>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  {PUBLIC_PAGES.map(({ path, page: Page }) => (
                    <Route key={path} path={`/v/${path}`} element={<Page />} />
                  ))}
                  <Route path="*" element={<Result status="404" title={t('publicNotFound')} />} />
                </Routes>
              </Suspense>
            </main>
          </Layout.Content>
        </Layout>
      </App>
    </BrowserRouter>
  );
}
