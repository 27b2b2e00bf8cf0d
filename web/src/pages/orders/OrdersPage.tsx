import { Badge, Card, Col, Flex, Grid, Row, Segmented } from 'antd';
import { useState } from 'react';
import { TitledPage } from '../../components/page-title';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useMessages } from '../../i18n/i18n';
import { BOARD_STATES, byUrgency, type BoardState, type Order } from './board';
import { DispatchDrawer } from './DispatchDrawer';
import { messages } from './messages';
import { OrderCard } from './OrderCard';
import { useNow, useOrders, useStateCounts } from './queries';

/** One state's orders, most urgent first. */
function Column({ state, now, onDispatch }: { state: BoardState; now: Date; onDispatch: (order: Order) => void }) {
  const t = useMessages(messages);
  const orders = useOrders(state);
  if (orders.error) return <FailureAlert error={orders.error} />;
  // Counted from the later of the clock's last tick and the answer's arrival: a deadline set just now never shows more than it has.
  const current = new Date(Math.max(now.getTime(), orders.dataUpdatedAt));
  const items = byUrgency(orders.data?.items ?? [], current);
  return (
    <Flex vertical gap={8}>
      {!orders.isPending && items.length === 0 && <Muted>{t('empty')}</Muted>}
      {items.map((order) => (
        <OrderCard key={order.id} order={order} now={current} onDispatch={onDispatch} />
      ))}
    </Flex>
  );
}

function ColumnTitle({ state }: { state: BoardState }) {
  const t = useMessages(messages);
  const count = useOrders(state).data?.items.length;
  return (
    <h2 style={{ margin: 0, fontSize: 16 }}>
      {t(`state_${state}`)} <Badge count={count ?? 0} showZero color={state === 'escalated' ? '#a8071a' : '#595959'} />
    </h2>
  );
}

/** Phones: one state at a time, picked from a segmented list that says how many each holds. */
function StateSwitch({ value, onChange }: { value: BoardState; onChange: (state: BoardState) => void }) {
  const t = useMessages(messages);
  const counts = useStateCounts();
  return (
    <Segmented<BoardState>
      block
      vertical
      value={value}
      onChange={onChange}
      options={BOARD_STATES.map((state) => ({
        value: state,
        label: t('stateCount', { state: t(`state_${state}`), n: counts[state] ?? 0 }),
      }))}
    />
  );
}

/**
 * /orders: the four-order flow on a board, a column per state, each order
 * with its deadline counting down in county time; an order waiting for a
 * team opens the dispatch drawer with the suggested teams.
 */
export default function OrdersPage() {
  const t = useMessages(messages);
  const phone = !Grid.useBreakpoint().lg;
  const now = useNow();
  const [state, setState] = useState<BoardState>('ordered');
  const [dispatching, setDispatching] = useState<Order | null>(null);
  return (
    <TitledPage title={t('title')} intro={t('intro')}>
      {phone ? (
        <>
          <StateSwitch value={state} onChange={setState} />
          <section aria-label={t(`state_${state}`)}>
            <Column state={state} now={now} onDispatch={setDispatching} />
          </section>
        </>
      ) : (
        <Row gutter={[12, 12]}>
          {BOARD_STATES.map((column) => (
            <Col key={column} span={4}>
              <Card
                size="small"
                role="region"
                aria-label={t(`state_${column}`)}
                title={<ColumnTitle state={column} />}
                styles={{ body: { padding: 8, background: '#fafafa' } }}
              >
                <Column state={column} now={now} onDispatch={setDispatching} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <DispatchDrawer order={dispatching} onClose={() => setDispatching(null)} />
    </TitledPage>
  );
}
