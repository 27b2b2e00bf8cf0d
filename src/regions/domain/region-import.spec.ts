import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, planRegionImport, type Region } from './region-import';

const HEADER = 'code,name,level,parent_code';
const C = '520628000000';
const T = '520628100000';
const V = '520628100201';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n');
const stored = (regions: Region[]) => new Map(regions.map((r) => [r.code, r]));
const county: Region = {
  code: C,
  name: '松桃苗族自治县',
  level: 'county',
  parentCode: null,
  countyCode: C,
  townshipCode: null,
};
const township: Region = {
  code: T,
  name: '蓼皋街道',
  level: 'township',
  parentCode: C,
  countyCode: C,
  townshipCode: T,
};

function errorsOf(result: ReturnType<typeof planRegionImport>) {
  if (!('errors' in result)) throw new Error('expected the file to be refused');
  return result.errors;
}
function planOf(result: ReturnType<typeof planRegionImport>) {
  if ('errors' in result) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

describe('parseCsv', () => {
  it('handles quotes, CRLF, a BOM and blank lines, keeping line numbers', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\nz,w\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['z', 'w'] },
    ]);
  });
});

describe('planRegionImport', () => {
  it('resolves a tree in any row order and puts parents first', () => {
    const plan = planOf(
      planRegionImport(
        csv(`${V},寨英村,village,${T}`, `${T},蓼皋街道,township,${C}`, `${C},松桃苗族自治县,county,`),
        new Map(),
        null,
      ),
    );
    expect(plan.create.map((r) => r.level)).toEqual(['county', 'township', 'village']);
    expect(plan.create[2]).toEqual({
      code: V,
      name: '寨英村',
      level: 'village',
      parentCode: T,
      countyCode: C,
      townshipCode: T,
    });
  });

  it('is a no-op for rows already stored, and a rename when only the name changed', () => {
    const plan = planOf(
      planRegionImport(
        csv(`${C},松桃苗族自治县,county,`, `${T},新名字,township,${C}`),
        stored([county, township]),
        null,
      ),
    );
    expect(plan).toEqual({ rows: 2, create: [], rename: [{ code: T, name: '新名字' }], unchanged: 1 });
  });

  it('attaches rows to parents already stored', () => {
    const plan = planOf(planRegionImport(csv(`${V},寨英村,village,${T}`), stored([county, township]), null));
    expect(plan.create).toHaveLength(1);
  });

  it('names every bad line: unknown parent, duplicate code, bad level, wrong level under a parent', () => {
    const errors = errorsOf(
      planRegionImport(
        csv(
          `${C},松桃苗族自治县,county,`,
          `${T},蓼皋街道,township,${C}`,
          `${T},again,township,${C}`,
          `520628100202,村,hamlet,${T}`,
          `520628100203,村,village,520699000000`,
          `520628100204,村,village,${C}`,
          `520628100205,村,township,${T}`,
        ),
        new Map(),
        null,
      ),
    );
    expect(errors).toEqual([
      { line: 4, message: `duplicate code ${T} (first on line 3)` },
      { line: 5, message: 'level "hamlet" is not one of county|township|village' },
      { line: 6, message: 'parent 520699000000 is neither in the file nor stored' },
      { line: 7, message: `a village must be under a township, but ${C} is a county` },
      { line: 8, message: `a township must be under a county, but ${T} is a township` },
    ]);
  });

  it('refuses a wrong header, short rows, bad codes, a county with a parent and an empty file', () => {
    expect(errorsOf(planRegionImport('code,name,level\n1,2,3', new Map(), null))[0]).toEqual({
      line: 1,
      message: 'header must be exactly code,name,level,parent_code',
    });
    expect(errorsOf(planRegionImport(csv(`${C},x,county`), new Map(), null))).toEqual([
      { line: 2, message: 'expected 4 fields, found 3' },
    ]);
    expect(errorsOf(planRegionImport(csv(`12345,x,county,`), new Map(), null))[0].message).toContain('not a 12-digit');
    expect(errorsOf(planRegionImport(csv(`${C},x,county,${T}`), new Map(), null))[0].message).toBe(
      'a county has no parent_code',
    );
    expect(errorsOf(planRegionImport(HEADER + '\n', new Map(), null))).toEqual([
      { line: 2, message: 'the file has no regions' },
    ]);
  });

  it('refuses to move a stored region and rows outside the importer scope', () => {
    expect(
      errorsOf(planRegionImport(csv(`${T},蓼皋街道,village,${C}`), stored([county, township]), null))[0].message,
    ).toContain('regions cannot move');
    const errors = errorsOf(
      planRegionImport(csv(`${V},寨英村,village,${T}`), stored([county, township]), '520628101000'),
    );
    expect(errors).toEqual([{ line: 2, message: `region ${V} is outside your scope` }]);
  });

  it('plans the real Songtao county tree', () => {
    const text = readFileSync(join(__dirname, '../../../tests/fixtures/regions/songtao.csv'), 'utf8');
    const plan = planOf(planRegionImport(text, new Map(), null));
    const count = (level: string) => plan.create.filter((r) => r.level === level).length;
    expect([count('county'), count('township'), count('village')]).toEqual([1, 28, 522]);
  });
});
