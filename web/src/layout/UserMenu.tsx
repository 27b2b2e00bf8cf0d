import { LogoutOutlined, TranslationOutlined } from '@ant-design/icons';
import { Button, Space, Tag, Typography } from 'antd';
import { common } from '../i18n/common';
import { useLocale, useMessages } from '../i18n/i18n';
import { useSession } from '../session/session';
import { useRegion } from '../components/regions/regions';

const ROLE_LABEL = {
  admin: 'roleAdmin',
  operator: 'roleOperator',
  approver: 'roleApprover',
  lecturer: 'roleLecturer',
} as const;

/** Who is signed in, in which role and scope; the language switch; sign-out. */
export function UserMenu({ compact }: { compact: boolean }) {
  const t = useMessages(common);
  const { locale, setLocale } = useLocale();
  const { user, signOut } = useSession();
  const scope = useRegion(user?.scopeCode ?? undefined);
  if (!user) return null;
  return (
    <Space size={compact ? 4 : 'middle'}>
      {!compact && (
        <Typography.Text>
          {user.username} <Tag>{t(ROLE_LABEL[user.role])}</Tag>
          {user.scopeCode ? (scope.data?.name ?? user.scopeCode) : t('scopeAll')}
        </Typography.Text>
      )}
      <Button
        icon={<TranslationOutlined />}
        aria-label={t('language')}
        onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
      >
        {compact ? null : t('language')}
      </Button>
      <Button icon={<LogoutOutlined />} aria-label={t('signOut')} onClick={() => void signOut()}>
        {compact ? null : t('signOut')}
      </Button>
    </Space>
  );
}
