import { ApiFailure } from '../../api/errors';
import { capFailureText } from './cap-failure';

const refused = (status: number, message: string) =>
  new ApiFailure(status, { statusCode: status, error: 'Unprocessable Entity', message, requestId: 'r-9' });

describe('a refused CAP file, told in Chinese', () => {
  it('names the missing element and says nothing was created', () => {
    const text = capFailureText(
      refused(422, 'Not an acceptable CAP 1.2 alert: the alert has no <identifier>'),
      'zh-CN',
    );
    expect(text.title).toBe('CAP 文件未导入');
    expect(text.action).toContain('未创建任何预警');
    expect(text.lines[0]).toBe('缺少必填项 <identifier>');
    expect(text.lines[1]).toContain('the alert has no <identifier>');
    expect(text.requestId).toBe('r-9');
  });

  it.each([
    ['Not an acceptable CAP 1.2 alert: not well-formed XML: unexpected end', '不是格式正确的 XML 文件'],
    [
      'Not an acceptable CAP 1.2 alert: <alert> is in namespace "urn:oasis:names:tc:emergency:cap:1.1"; only CAP 1.2 (urn:oasis:names:tc:emergency:cap:1.2) is accepted',
      '不是 CAP 1.2 版本（命名空间不对），只接受 CAP 1.2',
    ],
    [
      'Not an acceptable CAP 1.2 alert: DTDs and entities are not accepted',
      '文件含有 DTD 或实体声明，出于安全不予读取',
    ],
    [
      'Not an acceptable CAP 1.2 alert: <sent> "yesterday" is not a CAP date-time like 2026-11-23T17:30:00+08:00',
      '<sent> 的时间格式不对，应如 2026-11-23T17:30:00+08:00',
    ],
    [
      "The alert's areas include some that are no region here: 006073",
      '预警区域不是本平台的行政区划（区域编码应为本县的区划代码）',
    ],
  ])('%s', (message, chinese) => {
    expect(capFailureText(refused(422, message), 'zh-CN').lines[0]).toBe(chinese);
  });

  it('says a file sent as the wrong type, and in English when asked', () => {
    expect(capFailureText(refused(415, 'Send the alert as application/cap+xml'), 'zh-CN').lines[0]).toContain(
      '文件类型不对',
    );
    expect(
      capFailureText(refused(422, 'Not an acceptable CAP 1.2 alert: the alert has no <sent>'), 'en').lines[0],
    ).toBe('The required <sent> is missing');
  });

  it('leaves other failures to the general words', () => {
    expect(capFailureText(refused(403, 'outside your scope'), 'zh-CN').title).toBe('没有权限');
  });
});
