import { ApiFailure, describeFailure } from './errors';

describe('describeFailure', () => {
  it('names each overflowing region, date and the seconds over, in Chinese', () => {
    const failure = new ApiFailure(409, {
      statusCode: 409,
      error: 'Conflict',
      message: "This would overflow the daily slot's 30-minute window",
      details: [
        {
          path: '522229101001@2026-12-03',
          message: '95 s over',
          regionCode: '522229101001',
          date: '2026-12-03',
          overSeconds: 95,
        },
      ],
      requestId: 'r-1',
    });
    const text = describeFailure(failure, 'zh-CN', (code) => (code === '522229101001' ? '寨英村' : undefined));
    expect(text.title).toBe('超出播出时段，未保存');
    expect(text.lines).toEqual(['寨英村　2026-12-03　超出 95 秒']);
    expect(text.action).toContain('缩短节目');
    expect(text.requestId).toBe('r-1');
  });

  it('says what to do for a refusal it has no special words for, keeping the server sentence', () => {
    const text = describeFailure(
      new ApiFailure(403, { statusCode: 403, error: 'Forbidden', message: 'Region 5222 is outside your scope' }),
      'zh-CN',
    );
    expect(text.title).toBe('没有权限');
    expect(text.lines).toEqual(['服务器说明：Region 5222 is outside your scope']);
  });

  it('treats a failure that never reached the server as a network problem, in the chosen language', () => {
    expect(describeFailure(new TypeError('Failed to fetch'), 'en').title).toBe('Cannot reach the server');
  });
});
