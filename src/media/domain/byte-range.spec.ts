import { answerRange } from './byte-range';

describe('answerRange', () => {
  const size = 1000;
  it.each([
    [undefined, { kind: 'whole' }],
    ['bytes=0-99', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=900-', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=900-5000', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-100', { kind: 'partial', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'partial', start: 0, end: 999 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-9', { kind: 'whole' }],
    ['bytes=9-5', { kind: 'whole' }],
    ['items=0-5', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
  ])('%s', (header, answer) => {
    expect(answerRange(header, size)).toEqual(answer);
  });
});
