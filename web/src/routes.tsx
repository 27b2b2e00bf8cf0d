import {
  AlertOutlined,
  ApiOutlined,
  ApartmentOutlined,
  AudioOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ControlOutlined,
  DashboardOutlined,
  GiftOutlined,
  NotificationOutlined,
  ProfileOutlined,
  QrcodeOutlined,
  SoundOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { common } from './i18n/common';
import type { Permission, SignedInUser } from './session/session';

export interface PageRoute {
  path: string;
  /** The key in the common messages that names the page in the navigation. */
  label: keyof (typeof common)['zh-CN'];
  icon: ReactNode;
  /** Shown only to users whose role has it; the server checks each request regardless. */
  permission: Permission;
  /** Loaded when first opened, so the sign-in page carries none of the pages' code. */
  page: LazyExoticComponent<ComponentType>;
  /** The roles that land on this page after signing in (everyone else lands on the first page they may open). */
  homeFor?: ReadonlyArray<SignedInUser['role']>;
}

export const PAGES: PageRoute[] = [
  {
    path: '/today',
    label: 'navToday',
    icon: <DashboardOutlined />,
    permission: 'schedule.read',
    page: lazy(() => import('./pages/today/TodayPage')),
  },
  {
    path: '/regions',
    label: 'navRegions',
    icon: <ApartmentOutlined />,
    permission: 'regions.read',
    page: lazy(() => import('./pages/regions/RegionsPage')),
  },
  {
    path: '/media',
    label: 'navMedia',
    icon: <AudioOutlined />,
    permission: 'media.read',
    page: lazy(() => import('./pages/media/MediaPage')),
  },
  {
    path: '/programmes',
    label: 'navProgrammes',
    icon: <UnorderedListOutlined />,
    permission: 'programmes.read',
    page: lazy(() => import('./pages/programmes/ProgrammesPage')),
  },
  {
    path: '/rundown',
    label: 'navRundown',
    icon: <CalendarOutlined />,
    permission: 'schedule.read',
    page: lazy(() => import('./pages/rundown/RundownPage')),
  },
  {
    path: '/emergencies',
    label: 'navEmergencies',
    icon: <AlertOutlined />,
    permission: 'emergencies.read',
    page: lazy(() => import('./pages/emergencies/EmergenciesPage')),
  },
  {
    path: '/commands',
    label: 'navCommands',
    icon: <ControlOutlined />,
    permission: 'endpoints.read',
    page: lazy(() => import('./pages/commands/CommandsPage')),
  },
  {
    path: '/ebd',
    label: 'navEbd',
    icon: <ApiOutlined />,
    permission: 'ebd.read',
    page: lazy(() => import('./pages/ebd/EbdPage')),
  },
  {
    path: '/live',
    label: 'navLive',
    icon: <NotificationOutlined />,
    permission: 'live.read',
    page: lazy(() => import('./pages/live/LivePage')),
  },
  {
    path: '/orders',
    label: 'navOrders',
    icon: <ProfileOutlined />,
    permission: 'orders.read',
    page: lazy(() => import('./pages/orders/OrdersPage')),
  },
  {
    path: '/ledger',
    label: 'navLedger',
    icon: <AuditOutlined />,
    permission: 'ledger.read',
    page: lazy(() => import('./pages/ledger/LedgerPage')),
  },
  {
    path: '/redemption',
    label: 'navRedemption',
    icon: <GiftOutlined />,
    permission: 'points.manage',
    page: lazy(() => import('./pages/redemption/RedemptionPage')),
  },
  {
    path: '/lecturer',
    label: 'navLecturer',
    icon: <SoundOutlined />,
    permission: 'sessions.register',
    page: lazy(() => import('./pages/lecturer/LecturerPage')),
    homeFor: ['lecturer'],
  },
  {
    path: '/posters',
    label: 'navPosters',
    icon: <QrcodeOutlined />,
    permission: 'posters.manage',
    page: lazy(() => import('./pages/posters/PostersPage')),
  },
  {
    path: '/assessment',
    label: 'navAssessment',
    icon: <BarChartOutlined />,
    permission: 'reports.read',
    page: lazy(() => import('./pages/assessment/AssessmentPage')),
  },
];

/** Where a user lands after signing in: their role's own page, or the first of the pages they may open. */
export function homePage(pages: PageRoute[], role: SignedInUser['role']): string | undefined {
  return (pages.find((page) => page.homeFor?.includes(role)) ?? pages[0])?.path;
}
