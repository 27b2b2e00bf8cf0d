import { brdStateKey, msgTypeKey, resultKey } from './log-text';
import { messages } from './messages';

describe('the exchange’s codes in Chinese', () => {
  const zh = messages['zh-CN'];
  it('names every ResultCode and nothing outside the table', () => {
    expect([1, 2, 3, 4, 5].map((code) => zh[resultKey(code)!])).toEqual([
      '接收解析及数据校验成功',
      '接收解析失败',
      '数据内容缺失',
      '签名验证失败',
      '其他错误',
    ]);
    expect(resultKey(null)).toBeNull();
    expect(resultKey(9)).toBeNull();
  });

  it('names broadcast states 0–5 and message types 1–5', () => {
    expect(zh[brdStateKey(2)!]).toBe('播发中');
    expect(zh[brdStateKey(0)!]).toBe('未处理');
    expect(brdStateKey(null)).toBeNull();
    expect(brdStateKey(6)).toBeNull();
    expect(zh[msgTypeKey(1)!]).toBe('实际播发');
    expect(zh[msgTypeKey(4)!]).toBe('前端演练');
    expect(msgTypeKey(0)).toBeNull();
  });
});
