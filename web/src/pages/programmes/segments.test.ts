import { dropSegment, moveSegment, type Segment, segmentOf, stepSegment, totalDurationMs } from './segments';

const news = segmentOf({ id: 'm-news', title: '新闻', durationMs: 26_700 });
const rules = segmentOf({ id: 'm-rules', title: '村规民约', durationMs: 61_000 });
const notice = segmentOf({ id: 'm-notice', title: '通知', durationMs: null });
const titles = (segments: Segment[]) => segments.map((segment) => segment.title);

describe('programme segments', () => {
  it('adds the durations of all segments, a medium without one counting nothing', () => {
    expect(totalDurationMs([news, rules, notice])).toBe(87_700);
    expect(totalDurationMs([])).toBe(0);
  });

  it('gives the same medium added twice two places', () => {
    const again = segmentOf({ id: 'm-news', title: '新闻', durationMs: 26_700 });
    expect(again.key).not.toBe(news.key);
    expect(totalDurationMs([news, again])).toBe(53_400);
  });

  it('moves a segment to another position, keeping the others in order', () => {
    expect(titles(moveSegment([news, rules, notice], 0, 2))).toEqual(['村规民约', '通知', '新闻']);
    expect(titles(moveSegment([news, rules, notice], 2, 0))).toEqual(['通知', '新闻', '村规民约']);
    expect(titles(moveSegment([news, rules], 0, 5))).toEqual(['新闻', '村规民约']);
  });

  it('steps a segment up or down, and not past either end', () => {
    expect(titles(stepSegment([news, rules, notice], rules.key, -1))).toEqual(['村规民约', '新闻', '通知']);
    expect(titles(stepSegment([news, rules, notice], rules.key, 1))).toEqual(['新闻', '通知', '村规民约']);
    expect(titles(stepSegment([news, rules], news.key, -1))).toEqual(['新闻', '村规民约']);
  });

  it('drops a dragged segment at the place of the one it was dropped on', () => {
    expect(titles(dropSegment([news, rules, notice], news.key, notice.key))).toEqual(['村规民约', '通知', '新闻']);
    expect(titles(dropSegment([news, rules], news.key, 'gone'))).toEqual(['新闻', '村规民约']);
  });
});
