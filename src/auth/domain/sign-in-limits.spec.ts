import { addressBucket, lockoutAfter } from './sign-in-limits';

describe('lockoutAfter', () => {
  const policy = { maxFailures: 3, lockoutSeconds: 10, maxLockoutSeconds: 60 };

  it('locks from the limit on, doubling with each failure, up to the longest', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((failures) => lockoutAfter(failures, policy))).toEqual([
      0, 0, 10, 20, 40, 60, 60, 60,
    ]);
  });
});

describe('addressBucket', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s counts as %s', (address, bucket) => {
    expect(addressBucket(address)).toBe(bucket);
  });
});
