import { useState } from 'react';
import { TitledPage } from '../../components/page-title';
import { SectionCard } from '../../components/section-card';
import { useMessages } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { CommandDetail } from './CommandDetail';
import { CommandList } from './CommandList';
import { IssueForm } from './IssueForm';
import { messages } from './messages';

/** /commands: tell loudspeakers in scope to change volume, mute, restart…, and watch each one answer. */
export default function CommandsPage() {
  const t = useMessages(messages);
  const { can } = useSession();
  const [selected, setSelected] = useState<string>();
  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      {can('endpoints.manage') && (
        <SectionCard title={t('issue')}>
          <IssueForm onIssued={setSelected} />
        </SectionCard>
      )}
      {selected && <CommandDetail key={selected} id={selected} onClose={() => setSelected(undefined)} />}
      <SectionCard title={t('recent')}>
        <CommandList selected={selected} onSelect={setSelected} />
      </SectionCard>
    </TitledPage>
  );
}
