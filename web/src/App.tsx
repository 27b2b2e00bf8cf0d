import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { ApiFailure } from './api/errors';
import { PageLoading } from './components/page-loading';
import { LocaleProvider, useLocale } from './i18n/i18n';
import { SessionProvider, useSession } from './session/session';
import { THEME } from './theme';

// Each side loads on its own: the sign-in page needs none of the navigation, the router or the pages,
// and whatever only the pages share stays out of what the sign-in page waits for.
const SignInPage = lazy(() => import('./pages/sign-in/SignInPage'));
const AppLayout = lazy(() => import('./layout/AppLayout'));
// Villagers and volunteers arrive from a QR code with no account: their pages never ask who is signed in.
const PublicApp = lazy(() => import('./public/PublicApp'));
const PUBLIC_PREFIX = '/v/';

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
  return <Suspense fallback={<PageLoading />}>{user ? <AppLayout /> : <SignInPage />}</Suspense>;
}

function Localized() {
  const { locale } = useLocale();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <QueryClientProvider client={queries}>
        {window.location.pathname.startsWith(PUBLIC_PREFIX) ? (
          <Suspense fallback={<PageLoading />}>
            <PublicApp />
          </Suspense>
        ) : (
          <SessionProvider fallback={<PageLoading />}>
            <Signed />
          </SessionProvider>
        )}
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
