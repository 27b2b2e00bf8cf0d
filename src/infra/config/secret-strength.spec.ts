import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretWeakness } from './secret-strength';

const envExampleSecret = () =>
  /^JWT_SECRET=(.*)$/m.exec(readFileSync(join(__dirname, '../../../.env.example'), 'utf8'))![1];

describe('secretWeakness', () => {
  it('passes every `openssl rand -hex 32` and `openssl rand -base64 32`', () => {
    for (let i = 0; i < 5000; i++) {
      const bytes = randomBytes(32);
      expect(secretWeakness(bytes.toString('hex'))).toBeNull();
      expect(secretWeakness(bytes.toString('base64'))).toBeNull();
    }
  });

  it.each([
    ['the .env.example value', envExampleSecret()],
    ['changeme, padded', 'changeme-changeme-changeme-changeme'],
    ['"secret" in a sentence', 'my very own jwt secret for the county server'],
    ['a password', 'Password1234567890Password1234567890'],
  ])('refuses a placeholder: %s', (_, secret) => {
    expect(secretWeakness(secret)).toMatch(/^is a placeholder/);
  });

  it.each([
    ['one repeated character', 'x'.repeat(64)],
    ['a repeated pattern', 'abcd'.repeat(16)],
    ['few distinct characters', '0101101001011010010110100101101001011010010110100101101001011010'],
    ['too short for 128 bits', randomBytes(12).toString('hex')],
  ])('refuses a guessable secret: %s', (_, secret) => {
    expect(secretWeakness(secret)).toMatch(/^is too easy to guess \(about \d+ bits; at least 128 needed\)/);
  });
});
