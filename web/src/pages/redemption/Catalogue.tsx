import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Popconfirm,
  Select,
  Typography,
  type FormInstance,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { $api } from '../../api/client';
import { FailureAlert, useFailureNotice } from '../../components/failure';
import { Muted } from '../../components/muted';
import { useRegion, useRootRegions } from '../../components/regions/regions';
import { useMessages } from '../../i18n/i18n';
import type { Item } from './counter';
import { messages } from './messages';
import { useRefreshCatalogue } from './queries';

interface NewItem {
  regionCode: string;
  name: string;
  description?: string;
  pointsPrice: number;
  stock: number;
}

/** The county or township catalogues the user keeps: the top of their scope and, for a county, its townships. */
function useKeepers(): Array<{ value: string; label: string }> {
  const roots = useRootRegions();
  const top = roots.data?.[0];
  const region = useRegion(top?.level === 'county' ? top.code : undefined);
  const keepers = (roots.data ?? []).filter((root) => root.level !== 'village');
  const townships = (region.data?.children ?? []).filter((child) => child.level === 'township');
  return [...keepers, ...townships].map((region) => ({ value: region.code, label: region.name }));
}

/** A form in a dialog: OK submits it, the server's refusal shows inside. */
function FormModal<T extends object>({
  open,
  title,
  okText,
  form,
  busy,
  error,
  initialValues,
  onFinish,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  okText?: string;
  form: FormInstance<T>;
  busy: boolean;
  error: unknown;
  initialValues: Partial<T>;
  onFinish: (values: T) => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ loading: busy }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={onFinish} initialValues={initialValues}>
        {children}
      </Form>
      <FailureAlert error={error} />
    </Modal>
  );
}

/** The price and description fields, the same when adding and adjusting. */
function PriceAndDescription() {
  const t = useMessages(messages);
  return (
    <>
      <Form.Item name="pointsPrice" label={t('price')} rules={[{ required: true, message: t('required') }]}>
        <InputNumber min={1} max={1_000_000} precision={0} />
      </Form.Item>
      <Form.Item name="description" label={t('description')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
    </>
  );
}

function AddItem() {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const refresh = useRefreshCatalogue();
  const keepers = useKeepers();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewItem>();
  const create = $api.useMutation('post', '/api/v1/redemption-items');
  const submit = (values: NewItem) =>
    create.mutate(
      { body: { ...values, description: values.description?.trim() || undefined } },
      {
        onSuccess: () => {
          setOpen(false);
          form.resetFields();
          void message.success(t('saved'));
          void refresh();
        },
      },
    );
  const required = [{ required: true, message: t('required') }];
  return (
    <>
      <Button icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        {t('addItem')}
      </Button>
      <FormModal<NewItem>
        open={open}
        title={t('addItem')}
        okText={t('addItem')}
        form={form}
        busy={create.isPending}
        error={create.error}
        initialValues={{ regionCode: keepers[0]?.value, pointsPrice: 10, stock: 0 }}
        onFinish={submit}
        onClose={() => setOpen(false)}
      >
        <Form.Item name="regionCode" label={t('keeper')} rules={required}>
          <Select options={keepers} />
        </Form.Item>
        <Form.Item name="name" label={t('name')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <PriceAndDescription />
        <Form.Item name="stock" label={t('stock')} rules={required}>
          <InputNumber min={0} max={1_000_000} precision={0} />
        </Form.Item>
      </FormModal>
    </>
  );
}

interface Adjustment {
  pointsPrice: number;
  stockChange?: number;
  description?: string;
}

function AdjustItem({ item }: { item: Item }) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const notify = useFailureNotice();
  const refresh = useRefreshCatalogue();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Adjustment>();
  const update = $api.useMutation('patch', '/api/v1/redemption-items/{id}');
  const done = () => {
    setOpen(false);
    void message.success(t('saved'));
    void refresh();
  };
  const submit = (values: Adjustment) =>
    update.mutate(
      {
        params: { path: { id: item.id } },
        body: {
          ...(values.pointsPrice !== item.pointsPrice ? { pointsPrice: values.pointsPrice } : {}),
          ...(values.stockChange ? { stockChange: values.stockChange } : {}),
          ...((values.description?.trim() || null) !== item.description
            ? { description: values.description?.trim() || null }
            : {}),
        },
      },
      { onSuccess: done },
    );
  const retire = () =>
    update.mutate(
      { params: { path: { id: item.id } }, body: { retired: true } },
      { onSuccess: done, onError: (error) => notify(error) },
    );
  return (
    <Flex gap={8} wrap>
      <Button
        size="small"
        autoInsertSpace={false}
        onClick={() => setOpen(true)}
        aria-label={`${t('adjust')} ${item.name}`}
      >
        {t('adjust')}
      </Button>
      <Popconfirm title={t('retireConfirm')} okText={t('retire')} onConfirm={retire}>
        <Button size="small" danger autoInsertSpace={false} aria-label={`${t('retire')} ${item.name}`}>
          {t('retire')}
        </Button>
      </Popconfirm>
      <FormModal<Adjustment>
        open={open}
        title={t('adjustTitle', { name: item.name })}
        form={form}
        busy={update.isPending}
        error={update.error}
        initialValues={{ pointsPrice: item.pointsPrice, description: item.description ?? '' }}
        onFinish={submit}
        onClose={() => setOpen(false)}
      >
        <Muted>{t('stockLeft', { stock: item.stock })}</Muted>
        <Form.Item name="stockChange" label={t('stockChange')}>
          <InputNumber min={-item.stock} max={1_000_000} precision={0} />
        </Form.Item>
        <PriceAndDescription />
      </FormModal>
    </Flex>
  );
}

/** The catalogue: what each county or township offers, at what price, how many are left. */
export function Catalogue({ items, loading }: { items: Item[]; loading: boolean }) {
  const t = useMessages(messages);
  return (
    <Flex vertical gap={8}>
      <div>
        <AddItem />
      </div>
      <List
        loading={loading}
        dataSource={items}
        rowKey="id"
        locale={{ emptyText: t('emptyCatalogue') }}
        renderItem={(item) => (
          <List.Item>
            <Flex vertical gap={4} style={{ width: '100%', minWidth: 0, overflowWrap: 'anywhere' }}>
              <Flex wrap gap={8} align="baseline">
                <Typography.Text strong>{item.name}</Typography.Text>
                <Muted>{item.regionName}</Muted>
              </Flex>
              <span>
                {t('priceEach', { points: item.pointsPrice })} · {t('stockLeft', { stock: item.stock })}
              </span>
              {item.description && <Muted>{item.description}</Muted>}
              <AdjustItem item={item} />
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );
}
