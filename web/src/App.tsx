import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { BrowserRouter } from 'react-router';
import { ApiFailure } from './api/errors';
import { PageLoading } from './components/page-loading';
import { LocaleProvider, useLocale } from './i18n/i18n';
import SignInPage from './pages/sign-in/SignInPage';
import { SessionProvider, useSession } from './session/session';

// Loaded after sign-in: the sign-in page needs none of the navigation or the pages.
const AppLayout = lazy(() => import('./layout/AppLayout'));

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal will be the same next time; only a lost connection or a server error is worth a retry.
      retry: (count, error) => count < 2 && !(error instanceof ApiFailure && error.status < 500),
      staleTime: 5_000,
    },
  },
});

function Signed() {
  const { user } = useSession();
  if (!user) return <SignInPage />;
  return (
    <BrowserRouter>
      <Suspense fallback={<PageLoading />}>
        <AppLayout />
      </Suspense>
    </BrowserRouter>
  );
}

function Localized() {
  const { locale } = useLocale();
  return (
    // Links a darker blue than antd's default (#1677ff, 4.0:1 on white): body text needs 4.5:1 (WCAG AA).
    <ConfigProvider
      locale={locale === 'zh-CN' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#c41d1d', colorLink: '#0958d9' } }}
    >
      <QueryClientProvider client={queries}>
        <SessionProvider fallback={<PageLoading />}>
          <Signed />
        </SessionProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <LocaleProvider>
      <Localized />
    </LocaleProvider>
  );
}
