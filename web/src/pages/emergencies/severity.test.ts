import { levelOfColour, SEVERITIES, severityOfLevel } from './severity';

// WCAG relative luminance and contrast, to check each tag's text stays readable on its colour.
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

describe('the GY/T four colours', () => {
  it('map red, orange, yellow, blue to the server levels 1 (gravest) to 4', () => {
    expect(SEVERITIES.map((severity) => [severity.colour, severity.level, severity.roman])).toEqual([
      ['red', 1, 'I'],
      ['orange', 2, 'II'],
      ['yellow', 3, 'III'],
      ['blue', 4, 'IV'],
    ]);
    for (const severity of SEVERITIES) {
      expect(levelOfColour(severity.colour)).toBe(severity.level);
      expect(severityOfLevel(severity.level)).toBe(severity);
    }
  });

  it('refuses a level the server does not have', () => {
    expect(() => severityOfLevel(0)).toThrow(RangeError);
    expect(() => severityOfLevel(5)).toThrow(RangeError);
  });

  it('keeps every tag text readable on its colour (WCAG AA, 4.5:1)', () => {
    for (const severity of SEVERITIES) expect(contrast(severity.background, severity.text)).toBeGreaterThanOrEqual(4.5);
  });
});
