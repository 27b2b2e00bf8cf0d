import { Button, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useMessages } from '../../i18n/i18n';
import { lecturerMessages, type LecturerKey } from './messages';
import { PointsView } from './PointsView';
import { SessionDetail } from './SessionDetail';
import { SessionForm } from './SessionForm';
import { SessionsView } from './SessionsView';
import { TasksView } from './TasksView';

const SECTIONS: Array<{ path: string; label: LecturerKey }> = [
  { path: '/lecturer', label: 'tabTasks' },
  { path: '/lecturer/register', label: 'tabRegister' },
  { path: '/lecturer/sessions', label: 'tabSessions' },
  { path: '/lecturer/points', label: 'tabPoints' },
];

/**
 * A lecturer's page, made for the phone in their hand at the village:
 * their team's orders with the deadlines, registering a session, the session
 * itself with its sign-in and rating QR codes, and their points. Four large
 * buttons in one row switch between them, within reach of a thumb.
 */
export default function LecturerPage() {
  const t = useMessages(lecturerMessages);
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const current = [...SECTIONS].reverse().find((section) => pathname.startsWith(section.path))?.path;

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }}>
      <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <nav aria-label={t('sections')} style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 4 }}>
        {SECTIONS.map((section) => (
          <Button
            key={section.path}
            block
            type={section.path === current ? 'primary' : 'default'}
            aria-current={section.path === current ? 'page' : undefined}
            // No colour transition: the one that is current changes at once (and reads at full contrast throughout).
            style={{ height: 44, paddingInline: 4, transition: 'none' }}
            onClick={() => void navigate(section.path)}
          >
            {t(section.label)}
          </Button>
        ))}
      </nav>
      <div style={{ marginTop: 12 }}>
        <Routes>
          <Route index element={<TasksView />} />
          <Route path="register" element={<SessionForm />} />
          <Route path="sessions" element={<SessionsView />} />
          <Route path="sessions/:id" element={<SessionDetail />} />
          <Route path="points" element={<PointsView />} />
          <Route path="*" element={<Navigate to="/lecturer" replace />} />
        </Routes>
      </div>
    </div>
  );
}
