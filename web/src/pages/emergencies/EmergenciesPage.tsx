import { ConfigProvider } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from '../../session/session';
import { AlertDetail } from './AlertDetail';
import { AlertList } from './AlertList';
import { DraftForm } from './DraftForm';

// antd's danger red (#ff4d4f) is 3.3:1 on white: Cancel's text would fail AA (axe). The app theme leaves it as is.
const READABLE = { token: { colorError: '#cf1322' } };

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
