import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('accepts a long passphrase, counted in characters', () => {
    expect(passwordProblem('correct horse battery')).toBeNull();
    expect(passwordProblem('大喇叭每天下午五点半准时')).toBeNull();
  });

  it.each([
    ['short', 'must be at least 12 characters'],
    ['大喇叭五点半', 'must be at least 12 characters'],
    ['              ', 'must not be only spaces'],
    ['\t\n  \u3000     \t  ', 'must not be only spaces'],
    ['Password1234', 'is one of the most common passwords; choose another'],
    ['1QAZ2WSX3EDC', 'is one of the most common passwords; choose another'],
    ['woaini123456', 'is one of the most common passwords; choose another'],
    ['x'.repeat(257), 'must be at most 256 characters'],
  ])('refuses %j: %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });
});
