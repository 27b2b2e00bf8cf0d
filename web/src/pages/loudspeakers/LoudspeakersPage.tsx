import { Empty, Select, Tabs } from 'antd';
import { Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { TitledPage } from '../../components/page-title';
import { useRegion, useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { EndpointDetail } from './EndpointDetail';
import { FaultList } from './FaultList';
import { MapView } from './MapView';
import { messages } from './messages';
import { SilentVillageList } from './SilentVillageList';

const TABS = [
  { key: '', label: 'tabMap' },
  { key: 'faults', label: 'tabFaults' },
  { key: 'silent-villages', label: 'tabSilent' },
] as const;

/**
 * The county's loudspeakers at a glance, for the top of the user's scope (an
 * unscoped admin picks a county; a notice's link may name a village).
 */
function Overview({ tab }: { tab: (typeof TABS)[number]['key'] }) {
  const t = useMessages(messages);
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const roots = useRootRegions();
  const code = params.get('region') ?? roots.data?.[0]?.code;
  const region = useRegion(code);

  if (roots.error || region.error) return <FailureAlert error={roots.error ?? region.error} />;
  if (roots.isPending || (code && region.isPending)) return <PageLoading />;
  if (!region.data) return <Empty description={t('noEndpoints')} />;
  const current = { code: region.data.code, name: region.data.name };

  return (
    <TitledPage title={`${t('title')} · ${current.name}`} intro={t('intro')}>
      {roots.data.length > 1 && (
        <Select
          aria-label={t('region')}
          style={{ minWidth: 200, maxWidth: '100%' }}
          value={roots.data.some((root) => root.code === current.code) ? current.code : undefined}
          placeholder={current.name}
          onChange={(value: string) => setParams({ region: value })}
          options={roots.data.map((root) => ({ value: root.code, label: root.name }))}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate({ pathname: `/loudspeakers${key ? `/${key}` : ''}`, search: location.search })}
        items={TABS.map(({ key, label }) => ({ key, label: t(label) }))}
      />
      {tab === '' && <MapView region={current} />}
      {tab === 'faults' && <FaultList region={current} />}
      {tab === 'silent-villages' && <SilentVillageList region={current} />}
    </TitledPage>
  );
}

/** /loudspeakers 喇叭状态: the map, the faults, the villages no loudspeaker reaches; /loudspeakers/:id one loudspeaker. */
export default function LoudspeakersPage() {
  return (
    <Routes>
      <Route index element={<Overview tab="" />} />
      <Route path="faults" element={<Overview tab="faults" />} />
      <Route path="silent-villages" element={<Overview tab="silent-villages" />} />
      <Route path=":id" element={<EndpointDetail />} />
    </Routes>
  );
}
