import { Alert, Button, Card, Flex, Form, Input, InputNumber, Select, Typography, type InputRef } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useMessages } from '../../i18n/i18n';
import { CameraScan } from './CameraScan';
import { codeFromScan, shortfall, type Check, type Item, type Receipt } from './counter';
import { messages } from './messages';
import { useRefreshCatalogue } from './queries';

/** What the operator reads before handing the item over: who, what they hold, what it costs, what is left. */
function Confirmation({ check, onConfirm, busy }: { check: Check; onConfirm: () => void; busy: boolean }) {
  const t = useMessages(messages);
  const short = shortfall(check);
  return (
    <Card size="small" role="region" aria-label={t('confirmTitle')} title={t('confirmTitle')}>
      <Flex vertical gap={4} style={{ overflowWrap: 'anywhere' }}>
        <Typography.Text strong style={{ fontSize: 18 }}>
          {t('who', { name: check.volunteer.name })}
        </Typography.Text>
        <span>{t('holds', { points: check.volunteer.points })}</span>
        <span>{t('cost', { item: check.item.name, quantity: check.quantity, points: check.points })}</span>
        {short === null && <span>{t('after', { points: check.volunteer.points - check.points })}</span>}
        {short && (
          <Typography.Text type="danger">
            {short === 'points' ? t('shortPoints') : t('shortStock', { stock: check.item.stock })}
          </Typography.Text>
        )}
        <Button
          type="primary"
          disabled={!!short}
          loading={busy}
          onClick={onConfirm}
          style={{ alignSelf: 'flex-start' }}
        >
          {t('confirm')}
        </Button>
      </Flex>
    </Card>
  );
}

/**
 * The counter: pick the item and how many, scan the volunteer's code (a
 * keyboard-wedge scanner types it and presses Enter; or the camera), check
 * the name and points, confirm.
 */
export function Counter({ items }: { items: Item[] }) {
  const t = useMessages(messages);
  const refresh = useRefreshCatalogue();
  const codeInput = useRef<InputRef>(null);
  const [itemId, setItemId] = useState<string>();
  const [quantity, setQuantity] = useState(1);
  const [code, setCode] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const check = $api.useMutation('post', '/api/v1/redemptions/check');
  const redeem = $api.useMutation('post', '/api/v1/redemptions');

  const look = useCallback(
    (scanned: string) => {
      const volunteerCode = codeFromScan(scanned);
      setCode(volunteerCode);
      setReceipt(null);
      redeem.reset();
      if (itemId && volunteerCode) check.mutate({ body: { itemId, quantity, volunteerCode } });
    },
    [check, redeem, itemId, quantity],
  );
  const confirm = () =>
    itemId &&
    redeem.mutate(
      { body: { itemId, quantity, volunteerCode: code } },
      {
        onSuccess: (done) => {
          setReceipt(done);
          setCode('');
          check.reset();
          void refresh();
        },
      },
    );
  const next = () => {
    setReceipt(null);
    codeInput.current?.focus();
  };

  if (!items.length) return <Muted>{t('noItems')}</Muted>;
  return (
    <Flex vertical gap={12}>
      <Form layout="vertical" onFinish={() => look(code)} style={{ maxWidth: 560 }}>
        <Form.Item label={t('item')} htmlFor="counter-item">
          <Select
            id="counter-item"
            placeholder={t('chooseItem')}
            value={itemId}
            onChange={(value: string) => {
              setItemId(value);
              check.reset();
            }}
            options={items.map((item) => ({
              value: item.id,
              label: `${item.name}（${t('priceEach', { points: item.pointsPrice })}，${t('stockLeft', { stock: item.stock })}）`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('quantity')} htmlFor="counter-quantity">
          <InputNumber
            id="counter-quantity"
            min={1}
            max={100}
            precision={0}
            value={quantity}
            onChange={(value) => {
              setQuantity(value ?? 1);
              check.reset();
            }}
          />
        </Form.Item>
        <Form.Item label={t('code')} htmlFor="counter-code" extra={t('codeHelp')}>
          <Flex gap={8} wrap>
            <Input
              id="counter-code"
              ref={codeInput}
              autoComplete="off"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              onPressEnter={(event) => {
                event.preventDefault();
                look(event.currentTarget.value);
              }}
              style={{ flex: '1 1 220px' }}
            />
            <Button htmlType="submit" disabled={!itemId || !code.trim()} loading={check.isPending}>
              {t('look')}
            </Button>
            <CameraScan onRead={look} />
          </Flex>
        </Form.Item>
      </Form>
      <FailureAlert error={check.error ?? redeem.error} />
      {check.data && !receipt && <Confirmation check={check.data} onConfirm={confirm} busy={redeem.isPending} />}
      {receipt && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('redeemed', {
            name: receipt.volunteer.name,
            points: receipt.pointsLeft,
            item: receipt.item.name,
            stock: receipt.stockLeft,
            seq: receipt.ledgerSeq,
          })}
          action={<Button onClick={next}>{t('next')}</Button>}
        />
      )}
    </Flex>
  );
}
