import { maskPhone, normalisePhone } from './phone';

describe('mobile numbers (villagers’ contact numbers, volunteers’ phones)', () => {
  it('keeps the 11 digits of a mainland mobile number, however it was typed', () => {
    expect(normalisePhone('13812341234')).toBe('13812341234');
    expect(normalisePhone('138 1234 1234')).toBe('13812341234');
    expect(normalisePhone('+86 138-1234-1234')).toBe('13812341234');
    expect(normalisePhone('008613812341234')).toBe('13812341234');
  });

  it('refuses what is no mainland mobile number', () => {
    for (const text of [
      '',
      '1381234123',
      '138123412345',
      '12812341234',
      '0851-5231234',
      '1381234123x',
      '８１３８１２３４１２３',
    ])
      expect(normalisePhone(text)).toBeNull();
  });

  it('shows only the first three and the last four digits', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('123')).toBe('****');
  });
});
