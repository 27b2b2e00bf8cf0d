import { ApiOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Select, Tabs } from 'antd';
import { useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { PageLoading } from '../../components/page-loading';
import { TitledPage } from '../../components/page-title';
import { SectionCard } from '../../components/section-card';
import { useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { LinkFacts, LinkStatus } from './LinkFacts';
import { LinkForm } from './LinkForm';
import type { EbdLink } from './link-form';
import { LOG_POLL_MS } from './log-text';
import { MessageLog } from './MessageLog';
import { messages } from './messages';
import { PackageLog } from './PackageLog';

interface County {
  code: string;
  name: string;
}

/** One county's docking: its status, how it is configured, and what it exchanged. */
function CountyLink({ county, link }: { county: County; link: EbdLink | undefined }) {
  const t = useMessages(messages);
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const manage = can('ebd.manage');
  const action = manage && (
    <Button
      type={link ? 'default' : 'primary'}
      icon={link ? <EditOutlined /> : <ApiOutlined />}
      onClick={() => setEditing(true)}
    >
      {t(link ? 'edit' : 'configure')}
    </Button>
  );
  return (
    <SectionCard title={link?.countyName ?? county.name} extra={action}>
      {link ? (
        <Flex vertical gap={8}>
          <LinkStatus link={link} />
          <Tabs
            items={[
              { key: 'link', label: t('tabLink'), children: <LinkFacts link={link} /> },
              { key: 'packages', label: t('tabPackages'), children: <PackageLog countyCode={county.code} /> },
              { key: 'messages', label: t('tabMessages'), children: <MessageLog countyCode={county.code} /> },
            ]}
          />
        </Flex>
      ) : (
        <Empty description={t('notConfigured', { county: county.name })}>{t('notConfiguredHint')}</Empty>
      )}
      {manage && <LinkForm county={county} link={link} open={editing} onClose={() => setEditing(false)} />}
    </SectionCard>
  );
}

/** /ebd 应急广播对接: each county in scope and its link to the upper emergency-broadcast platform. */
export default function EbdPage() {
  const t = useMessages(messages);
  const links = $api.useQuery('get', '/api/v1/ebd/links', {}, { refetchInterval: LOG_POLL_MS });
  const roots = useRootRegions();
  const [chosen, setChosen] = useState<string>();

  // The counties in scope, docked or not: an admin configures one not docked yet from here.
  const counties = new Map<string, County>();
  for (const region of roots.data ?? [])
    if (region.level === 'county') counties.set(region.code, { code: region.code, name: region.name });
  for (const link of links.data?.items ?? [])
    counties.set(link.countyCode, { code: link.countyCode, name: link.countyName });
  const options = [...counties.values()].sort((a, b) => a.code.localeCompare(b.code));
  const county = counties.get(chosen ?? '') ?? options[0];

  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      <FailureAlert error={links.error ?? roots.error} />
      {options.length > 1 && (
        <Select
          aria-label={t('county')}
          value={county?.code}
          onChange={setChosen}
          options={options.map((option) => ({ value: option.code, label: option.name }))}
          style={{ maxWidth: 320 }}
          showSearch={{ optionFilterProp: 'label' }}
        />
      )}
      {links.isPending || roots.isPending ? (
        <PageLoading />
      ) : county ? (
        <CountyLink
          key={county.code}
          county={county}
          link={links.data?.items.find((link) => link.countyCode === county.code)}
        />
      ) : (
        <Empty description={t('notConfiguredHint')} />
      )}
    </TitledPage>
  );
}
