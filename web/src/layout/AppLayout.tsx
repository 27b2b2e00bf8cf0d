import { MenuOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Grid, Layout, Menu, Space, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { common } from '../i18n/common';
import { useMessages } from '../i18n/i18n';
import { homePage, PAGES } from '../routes';
import { useSession } from '../session/session';
import { PageLoading } from '../components/page-loading';
import { NotificationBell } from './NotificationBell';
import { UserMenu } from './UserMenu';

/**
 * The frame around every page: navigation at the side on a desk, behind a
 * button on a phone (nothing needs hover), and only the pages the user's role
 * may open.
 */
export default function AppLayout() {
  return (
    <BrowserRouter>
      <Frame />
    </BrowserRouter>
  );
}

function Frame() {
  const t = useMessages(common);
  const { can, user } = useSession();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const pages = PAGES.filter((page) => can(page.permission));
  const current = pages.find((page) => location.pathname.startsWith(page.path))?.path;

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={current ? [current] : []}
      items={pages.map((page) => ({ key: page.path, icon: page.icon, label: t(page.label) }))}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
    />
  );

  return (
    // App gives the pages antd's notification and message contexts (useFailureNotice).
    <App>
      <Layout style={{ minHeight: '100vh' }}>
        {!phone && (
          <Layout.Sider theme="light" width={200} style={{ borderRight: '1px solid #f0f0f0' }}>
            <Typography.Title level={4} style={{ padding: '16px 24px', margin: 0 }}>
              {t('appName')}
            </Typography.Title>
            <nav aria-label={t('menu')}>{menu}</nav>
          </Layout.Sider>
        )}
        <Layout>
          <Layout.Header
            style={{
              background: '#fff',
              padding: phone ? '0 8px' : '0 24px',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              borderBottom: '1px solid #f0f0f0',
            }}
          >
            <Space>
              {phone && <Button icon={<MenuOutlined />} aria-label={t('menu')} onClick={() => setDrawerOpen(true)} />}
              {phone && <strong>{t('appName')}</strong>}
            </Space>
            <Space size={phone ? 4 : 12}>
              {can('notifications.read') && <NotificationBell />}
              <UserMenu compact={phone} />
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: phone ? 8 : 24 }}>
            <main>
              <Suspense fallback={<PageLoading />}>
                <Routes>
                  {pages.map(({ path, page: Page }) => (
                    <Route key={path} path={`${path}/*`} element={<Page />} />
                  ))}
                  <Route path="*" element={<Navigate to={(user && homePage(pages, user.role)) ?? '/'} replace />} />
                </Routes>
              </Suspense>
            </main>
          </Layout.Content>
        </Layout>
        {phone && (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={t('appName')}
            size={240}
          >
            <nav aria-label={t('menu')}>{menu}</nav>
          </Drawer>
        )}
      </Layout>
    </App>
  );
}
