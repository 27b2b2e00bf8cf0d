import { App, Button, Divider, Drawer, Form, Grid, Input, InputNumber, Select, Space, Switch } from 'antd';
import type { Rule } from 'antd/es/form';
import { useQueryClient } from '@tanstack/react-query';
import { $api } from '../../api/client';
import { FailureAlert } from '../../components/failure';
import { useMessages } from '../../i18n/i18n';
import { type EbdLink, initialValues, INTERVALS, LINK_CHECKS, type LinkFormValues, saveBody } from './link-form';
import { messages, type EbdMessageKey } from './messages';

type Check = keyof typeof LINK_CHECKS;

/** Creates or changes a county's docking (admins: ebd.manage); the server checks again and says what it refused. */
export function LinkForm({
  county,
  link,
  open,
  onClose,
}: {
  county: { code: string; name: string };
  link: EbdLink | undefined;
  open: boolean;
  onClose: () => void;
}) {
  const t = useMessages(messages);
  const { message } = App.useApp();
  const queries = useQueryClient();
  const phone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<LinkFormValues>();
  const save = $api.useMutation('put', '/api/v1/ebd/links/{countyCode}');

  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (values: LinkFormValues) =>
    save.mutate(
      { params: { path: { countyCode: county.code } }, body: saveBody(values) },
      {
        onSuccess: () => {
          void message.success(t('saved'));
          void queries.invalidateQueries({ queryKey: ['get', '/api/v1/ebd/links'] });
          close();
        },
      },
    );

  const required = (field: EbdMessageKey): Rule => ({
    required: true,
    whitespace: true,
    message: t('errorRequired', { field: t(field) }),
  });
  const checked = (field: EbdMessageKey, check: Check): Rule[] => [
    required(field),
    {
      validator: (_, value: string | undefined) => {
        const problem = value?.trim() ? LINK_CHECKS[check](value) : null;
        return problem ? Promise.reject(new Error(t(problem))) : Promise.resolve();
      },
    },
  ];
  const interval = (name: keyof typeof INTERVALS, label: EbdMessageKey) => {
    const { min, max } = INTERVALS[name];
    const range = t('errorRange', { field: t(label), min, max });
    return (
      <Form.Item
        name={name}
        label={t(label)}
        rules={[
          { required: true, message: range },
          { type: 'number', min, max, message: range },
        ]}
      >
        <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    );
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      title={t('formTitle', { county: county.name })}
      size={phone ? '100%' : 640}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={close}>{t('cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('save')}
          </Button>
        </Space>
      }
    >
      <Form<LinkFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={initialValues(link, county, window.location.origin)}
        onFinish={submit}
        scrollToFirstError
      >
        <Divider titlePlacement="start">{t('sectionUpper')}</Divider>
        <Form.Item
          name="upperEbrid"
          label={t('fieldUpperEbrid')}
          extra={t('helpUpperEbrid')}
          rules={checked('fieldUpperEbrid', 'upperEbrid')}
        >
          <Input inputMode="numeric" maxLength={23} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="upperUrl"
          label={t('fieldUpperUrl')}
          extra={t('helpUpperUrl')}
          rules={checked('fieldUpperUrl', 'upperUrl')}
        >
          <Input inputMode="url" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="upperPublicKey"
          label={t('fieldUpperPublicKey')}
          extra={t('helpUpperPublicKey')}
          rules={checked('fieldUpperPublicKey', 'upperPublicKey')}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} spellCheck={false} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="receiveUrl"
          label={t('fieldReceiveUrl')}
          extra={t('helpReceiveUrl')}
          rules={checked('fieldReceiveUrl', 'receiveUrl')}
        >
          <Input inputMode="url" autoComplete="off" />
        </Form.Item>

        <Divider titlePlacement="start">{t('sectionSigning')}</Divider>
        <Form.Item name="platformType" label={t('fieldPlatformType')} extra={t('helpPlatformType')}>
          <Select
            options={[
              { value: '0101', label: t('platformType0101') },
              { value: '0103', label: t('platformType0103') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="signer"
          label={t('fieldSigner')}
          extra={t('helpSigner')}
          rules={checked('fieldSigner', 'signer')}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="certSn"
          label={t('fieldCertSn')}
          extra={t('helpCertSn')}
          rules={checked('fieldCertSn', 'certSn')}
        >
          <Input autoComplete="off" maxLength={32} />
        </Form.Item>
        <Form.Item name="signatureLayout" label={t('fieldSignatureLayout')} extra={t('helpSignatureLayout')}>
          <Select
            options={[
              { value: 'sm2_sm3', label: t('layoutSm2Sm3') },
              { value: 'cert_time', label: t('layoutCertTime') },
            ]}
          />
        </Form.Item>

        <Divider titlePlacement="start">{t('sectionBehaviour')}</Divider>
        <Form.Item name="autoAir" label={t('fieldAutoAir')} extra={t('helpAutoAir')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item
          name="reportLocalAlerts"
          label={t('fieldReportLocalAlerts')}
          extra={t('helpReportLocalAlerts')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item name="enabled" label={t('fieldEnabled')} extra={t('helpEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {interval('heartbeatSeconds', 'fieldHeartbeatSeconds')}
        {interval('terminalStateSeconds', 'fieldTerminalStateSeconds')}
        {interval('platformStateSeconds', 'fieldPlatformStateSeconds')}
        {interval('terminalInfoSeconds', 'fieldTerminalInfoSeconds')}
        {interval('platformInfoSeconds', 'fieldPlatformInfoSeconds')}

        <Divider titlePlacement="start">{t('sectionPlatform')}</Divider>
        <Form.Item name="name" label={t('fieldName')} rules={[required('fieldName'), { max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="address" label={t('fieldAddress')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="contact" label={t('fieldContact')} rules={[{ max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="phone" label={t('fieldPhone')} rules={[{ max: 30 }]}>
          <Input maxLength={30} inputMode="tel" />
        </Form.Item>
      </Form>
      <FailureAlert error={save.error} />
    </Drawer>
  );
}
