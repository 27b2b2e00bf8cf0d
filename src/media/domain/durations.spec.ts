import { humanDuration } from './durations';

it.each([
  [26.68, '26.7 s'],
  [59.96, '1 min'],
  [303, '5 min 3 s'],
  [600, '10 min'],
  [7200, '2 h'],
  [7800, '2 h 10 min'],
])('humanDuration(%s) is %s', (seconds, text) => {
  expect(humanDuration(seconds)).toBe(text);
});
