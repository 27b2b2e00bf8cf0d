import { initialValues, LINK_CHECKS, normalisePublicKey, saveBody, type LinkFormValues } from './link-form';

const KEY = `04${'a1'.repeat(64)}`;

describe('the docking form checks what the server checks, as one types', () => {
  it('takes a 23-digit resource code whose level digit is 1–6, and nothing else', () => {
    expect(LINK_CHECKS.upperEbrid('35206000000000101010101')).toBeNull();
    expect(LINK_CHECKS.upperEbrid('3520600000000010101010')).toBe('errorEbrid');
    expect(LINK_CHECKS.upperEbrid('75206000000000101010101')).toBe('errorEbrid');
    expect(LINK_CHECKS.upperEbrid('3520600000000010101010x')).toBe('errorEbrid');
  });

  it('takes a public key pasted with spaces, line breaks, capitals or without its 04', () => {
    expect(LINK_CHECKS.upperPublicKey(KEY)).toBeNull();
    expect(LINK_CHECKS.upperPublicKey(`${KEY.slice(0, 60).toUpperCase()}\n  ${KEY.slice(60)}`)).toBeNull();
    expect(LINK_CHECKS.upperPublicKey(KEY.slice(2))).toBeNull();
    expect(normalisePublicKey(` ${KEY.slice(2).toUpperCase()} `)).toBe(KEY);
  });

  it('refuses a key of the wrong length, a compressed key or one with letters beyond hex', () => {
    expect(LINK_CHECKS.upperPublicKey(KEY.slice(0, 129))).toBe('errorPublicKey');
    expect(LINK_CHECKS.upperPublicKey(`02${'a1'.repeat(32)}`)).toBe('errorPublicKey');
    expect(LINK_CHECKS.upperPublicKey(`05${'a1'.repeat(64)}`)).toBe('errorPublicKey');
    expect(LINK_CHECKS.upperPublicKey(`04${'g1'.repeat(64)}`)).toBe('errorPublicKey');
  });

  it('takes a signer only as file:<name> of a key the keygen command makes', () => {
    expect(LINK_CHECKS.signer('file:county-520628000000')).toBeNull();
    expect(LINK_CHECKS.signer('file:../etc/passwd')).toBe('errorSigner');
    expect(LINK_CHECKS.signer('county-520628000000')).toBe('errorSigner');
    expect(LINK_CHECKS.signer('file:')).toBe('errorSigner');
  });

  it('takes http and https addresses only, and a certificate serial of 1–32 hex digits', () => {
    expect(LINK_CHECKS.upperUrl('http://10.1.2.3:8080/ebd')).toBeNull();
    expect(LINK_CHECKS.receiveUrl('https://dalaba.example.cn/api/v1/ebd/exchange')).toBeNull();
    expect(LINK_CHECKS.upperUrl('ftp://10.1.2.3/ebd')).toBe('errorUrl');
    expect(LINK_CHECKS.upperUrl('10.1.2.3:8080')).toBe('errorUrl');
    expect(LINK_CHECKS.certSn('000000003363')).toBeNull();
    expect(LINK_CHECKS.certSn('0'.repeat(33))).toBe('errorCertSn');
    expect(LINK_CHECKS.certSn('xyz')).toBe('errorCertSn');
  });
});

describe('the docking form’s values', () => {
  it('opens for a county not yet docked with this server’s receive URL, a key named for the county and the defaults', () => {
    expect(
      initialValues(undefined, { code: '520628000000', name: '松桃苗族自治县' }, 'https://d.example.cn'),
    ).toMatchObject({
      receiveUrl: 'https://d.example.cn/api/v1/ebd/exchange',
      signer: 'file:county-520628000000',
      name: '松桃苗族自治县应急广播平台',
      autoAir: true,
      heartbeatSeconds: 30,
    });
  });

  it('sends what was typed trimmed, the key as 04‖x‖y and blank optional fields as cleared', () => {
    const typed = {
      ...initialValues(undefined, { code: '520628000000', name: '松桃' }, 'http://h'),
      upperEbrid: ' 35206000000000101010101 ',
      upperUrl: 'http://10.1.2.3/ebd ',
      upperPublicKey: KEY.slice(2).toUpperCase(),
      certSn: ' 3363',
      address: '  ',
      contact: ' 张三 ',
    } as LinkFormValues;
    expect(saveBody(typed)).toMatchObject({
      upperEbrid: '35206000000000101010101',
      upperUrl: 'http://10.1.2.3/ebd',
      upperPublicKey: KEY,
      certSn: '3363',
      address: null,
      contact: '张三',
      phone: null,
    });
  });
});
