import { maskPhone, MOBILE_NUMBER } from './contact-phone';

describe('a villager’s contact number', () => {
  it('is a mainland mobile number', () => {
    expect(MOBILE_NUMBER.test('13812341234')).toBe(true);
    expect(MOBILE_NUMBER.test('19912341234')).toBe(true);
    for (const bad of ['12812341234', '1381234123', '138123412345', '+8613812341234', '138-1234-1234'])
      expect(MOBILE_NUMBER.test(bad)).toBe(false);
  });

  it('is shown with its middle four digits hidden', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone(null)).toBeNull();
  });
});
