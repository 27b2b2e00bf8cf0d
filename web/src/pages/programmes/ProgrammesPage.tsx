import { Route, Routes } from 'react-router';
import { useSession } from '../../session/session';
import { ProgrammeBuilder } from './ProgrammeBuilder';
import { ProgrammeDetail } from './ProgrammeDetail';
import { ProgrammeList } from './ProgrammeList';

/** Programmes: the list, one programme's segments, and building a new one (for those who may). */
export default function ProgrammesPage() {
  const { can } = useSession();
  return (
    <Routes>
      <Route index element={<ProgrammeList />} />
      {can('programmes.manage') && <Route path="new" element={<ProgrammeBuilder />} />}
      <Route path=":id" element={<ProgrammeDetail />} />
    </Routes>
  );
}
