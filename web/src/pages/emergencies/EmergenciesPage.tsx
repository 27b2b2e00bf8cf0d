import { Navigate, Route, Routes } from 'react-router';
import { useSession } from '../../session/session';
import { AlertDetail } from './AlertDetail';
import { AlertList } from './AlertList';
import { DraftForm } from './DraftForm';

/** /emergencies: the queue and every alert; /emergencies/new: draft one; /emergencies/:id: one alert, live. */
export default function EmergenciesPage() {
  const { can } = useSession();
  return (
    <>
      <Routes>
        <Route index element={<AlertList />} />
        <Route path="new" element={can('emergencies.draft') ? <DraftForm /> : <Navigate to="/emergencies" replace />} />
        <Route path=":id" element={<AlertDetail />} />
      </Routes>
    </>
  );
}
