import { Table, type TableColumnsType } from 'antd';
import { useMessages } from '../../i18n/i18n';
import { type AssessedChild, type Figures, percent, type RateName } from './figures';
import { messages } from './messages';

type MessageKey = keyof (typeof messages)['zh-CN'];

/** Nulls (nothing to count) sort below every figure. */
const byFigure = (of: (figures: Figures) => number | null) => (a: AssessedChild, b: AssessedChild) =>
  (of(a.figures) ?? -1) - (of(b.figures) ?? -1);

/** The regions below with every figure, each column sortable; it scrolls inside itself on a phone. */
export function ChildrenTable({ children }: { children: AssessedChild[] }) {
  const t = useMessages(messages);
  const rate = (key: RateName | 'score', of: (figures: Figures) => number | null) => ({
    key,
    title: t(key),
    render: (_: unknown, child: AssessedChild) => percent(of(child.figures)),
    sorter: byFigure(of),
    align: 'right' as const,
  });
  const count = (key: MessageKey, of: (figures: Figures) => number) => ({
    key,
    title: t(key),
    render: (_: unknown, child: AssessedChild) => of(child.figures),
    sorter: byFigure(of),
    align: 'right' as const,
  });
  const columns: TableColumnsType<AssessedChild> = [
    {
      key: 'rank',
      title: t('rank'),
      render: (_, child) => child.rank ?? '—',
      sorter: (a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity),
      defaultSortOrder: 'ascend',
      width: 72,
    },
    { key: 'name', title: t('name'), render: (_, child) => child.region.name, fixed: 'left', width: 120 },
    rate('score', (f) => f.score),
    rate('broadcast', (f) => f.broadcast.rate),
    rate('loudspeakers', (f) => f.loudspeakers.rate),
    rate('orders', (f) => f.orders.rate),
    rate('satisfaction', (f) => f.satisfaction.rate),
    count('sessions', (f) => f.sessions.sessions),
    count('sessionHours', (f) => f.sessions.hours),
    count('participations', (f) => f.volunteers.participations),
    count('volunteers', (f) => f.volunteers.volunteers),
    count('volunteerHours', (f) => f.volunteers.hours),
  ];
  return (
    <Table<AssessedChild>
      rowKey={(child) => child.region.code}
      columns={columns}
      dataSource={children}
      pagination={false}
      size="small"
      scroll={{ x: 1200 }}
    />
  );
}
