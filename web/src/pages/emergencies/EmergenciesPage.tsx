import { ConfigProvider } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from '../../session/session';
import { AlertDetail } from './AlertDetail';
import { AlertList } from './AlertList';
import { DraftForm } from './DraftForm';

// antd's default link blue, grey help text and labels, and danger red fall short of 4.5:1 on white and on the layout's grey (axe).
const READABLE = {
  token: {
    colorLink: '#0958d9',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorError: '#cf1322',
  },
};

/** /emergencies: the queue and every alert; /emergencies/new: draft one; /emergencies/:id: one alert, live. */
export default function EmergenciesPage() {
  const { can } = useSession();
  return (
    <ConfigProvider theme={READABLE}>
      <Routes>
        <Route index element={<AlertList />} />
        <Route path="new" element={can('emergencies.draft') ? <DraftForm /> : <Navigate to="/emergencies" replace />} />
        <Route path=":id" element={<AlertDetail />} />
      </Routes>
    </ConfigProvider>
  );
}
