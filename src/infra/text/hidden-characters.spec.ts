import {
  describeHiddenCharacter,
  findHiddenCharacter,
  hiddenCharacterProblem,
  isStorable,
  withoutHiddenCharacters,
} from './hidden-characters';

describe('the rule for names, titles and notes', () => {
  it.each([
    '白岩社区村委会门口',
    '《村规民约》——问与答：第一讲（上）！',
    '松桃苗族自治县 · 盘石镇',
    'Zhang San 张三',
    '喇叭📢 坏了😢',
    '一家人👨‍👩‍👧一起听',
    '彩虹旗🏳️‍🌈',
    '苏格兰🏴󠁧󠁢󠁳󠁣󠁴󠁿',
    '👍🏽👩🏽‍🌾',
    '𠮷野家', // outside the BMP: a surrogate pair, not a lone surrogate
  ])('lets ordinary text through: %s', (text) => {
    expect(findHiddenCharacter(text, 'single')).toBeNull();
  });

  it.each([
    ['村委会\u202e口门', 'bidi', 0x202e],
    ['村委会\u202a门口', 'bidi', 0x202a],
    ['\u2066村委会\u2069', 'bidi', 0x2066],
    ['村委会\u200f门口', 'bidi', 0x200f],
    ['村委\u200b会', 'invisible', 0x200b],
    ['村委\u200c会', 'invisible', 0x200c],
    ['村委\u200d会', 'invisible', 0x200d],
    ['村委\u2060会', 'invisible', 0x2060],
    ['村委\ufeff会', 'invisible', 0xfeff],
    ['村委\u00ad会', 'invisible', 0x00ad],
    ['村委\u3164会', 'invisible', 0x3164],
    ['村委\u{e0041}会', 'invisible', 0xe0041],
    ['a\u200d📢', 'invisible', 0x200d],
    ['村委\u0007会', 'control', 0x07],
    ['村委\u001b[31m会', 'control', 0x1b],
    ['村委\u007f会', 'control', 0x7f],
    ['村委\u0085会', 'control', 0x85],
    ['村委\r会', 'control', 0x0d],
    ['村委\u0000会', 'unstorable', 0],
    ['村委\ud800会', 'unstorable', 0xd800],
    ['村委\udc00会', 'unstorable', 0xdc00],
  ])('refuses %j as %s', (text, kind, codePoint) => {
    expect(findHiddenCharacter(text, 'multi')).toMatchObject({ kind, codePoint });
  });

  it('allows tabs and line breaks only in text that runs over lines', () => {
    expect(findHiddenCharacter('第一讲\n第二讲\t（下）', 'multi')).toBeNull();
    expect(findHiddenCharacter('第一讲\n第二讲', 'single')).toEqual({ kind: 'control', codePoint: 0x0a, position: 4 });
    expect(findHiddenCharacter('第一讲\t第二讲', 'single')).toMatchObject({ kind: 'control', codePoint: 0x09 });
    expect(findHiddenCharacter('第一讲\u2028第二讲', 'single')).toMatchObject({ kind: 'control', codePoint: 0x2028 });
  });

  it('says which character and where, counting characters as a person does', () => {
    expect(hiddenCharacterProblem('📢村委会\u202e口门', 'single')).toBe(
      'must not contain a bidirectional control character (U+202E at character 5)',
    );
    expect(describeHiddenCharacter({ kind: 'control', codePoint: 7, position: 1 })).toBe(
      'must not contain a control character (U+0007 at character 1)',
    );
    expect(hiddenCharacterProblem('村委会门口', 'single')).toBeNull();
  });

  it('tells apart what Postgres can store', () => {
    expect(isStorable('村委会📢')).toBe(true);
    expect(isStorable('a\u0000b')).toBe(false);
    expect(isStorable('a\ud83db')).toBe(false);
    expect(isStorable('\u202e')).toBe(true);
  });
});

describe('leaving hidden characters out of a derived title', () => {
  it('drops what the rule refuses and keeps the rest, emoji joins included', () => {
    expect(withoutHiddenCharacters('通知\u202egpj.exe', 'single')).toBe('通知gpj.exe');
    expect(withoutHiddenCharacters('村委\u200b会\u0000门口\n👨‍👩‍👧', 'single')).toBe('村委会门口👨‍👩‍👧');
    expect(withoutHiddenCharacters('第一讲\n第二讲', 'multi')).toBe('第一讲\n第二讲');
  });
});
