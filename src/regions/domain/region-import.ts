import { covers, type Level, REGION_CODE_PATTERN, REGION_LEVELS, type RegionPath } from '../../kernel/region';
import { hiddenCharacterProblem } from '../../infra/text/hidden-characters';

// The region CSV (code,name,level,parent_code) is checked whole before
// anything is written: one bad row rejects the file, with every bad line named.

const PARENT_LEVEL: Record<Level, Level | null> = { county: null, township: 'county', village: 'township' };
const HEADER = ['code', 'name', 'level', 'parent_code'];
const MAX_NAME_LENGTH = 100;

export interface Region extends RegionPath {
  name: string;
  level: Level;
  parentCode: string | null;
}

export interface LineError {
  line: number;
  message: string;
}

export interface ImportPlan {
  rows: number;
  create: Region[];
  rename: Array<{ code: string; name: string }>;
  unchanged: number;
}

interface Row {
  line: number;
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
}

/** Splits CSV text into records of fields (RFC 4180 quoting), each with its line number. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quoted) {
      if (char === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === '"' && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else {
      field += char;
    }
  }
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
  return records;
}

function readRows(text: string, errors: LineError[]): Row[] {
  const [header, ...records] = parseCsv(text);
  const names = header?.fields.map((name) => name.trim().toLowerCase());
  if (!names || names.join(',') !== HEADER.join(',')) {
    errors.push({ line: 1, message: `header must be exactly ${HEADER.join(',')}` });
    return [];
  }
  if (records.length === 0) errors.push({ line: 2, message: 'the file has no regions' });
  const rows: Row[] = [];
  for (const { line, fields } of records) {
    const problems: string[] = [];
    if (fields.length !== HEADER.length) {
      errors.push({ line, message: `expected ${HEADER.length} fields, found ${fields.length}` });
      continue;
    }
    const [code, name, level, parentCode] = fields.map((value) => value.trim());
    if (!REGION_CODE_PATTERN.test(code)) problems.push(`code "${code}" is not a 12-digit division code`);
    if (!name) problems.push('name is empty');
    if (name.length > MAX_NAME_LENGTH) problems.push(`name is longer than ${MAX_NAME_LENGTH} characters`);
    const hidden = hiddenCharacterProblem(name, 'single');
    if (hidden) problems.push(`name ${hidden}`);
    if (!REGION_LEVELS.includes(level as Level))
      problems.push(`level "${level}" is not one of ${REGION_LEVELS.join('|')}`);
    else if (level === 'county' && parentCode) problems.push('a county has no parent_code');
    else if (level !== 'county' && !parentCode) problems.push(`a ${level} needs a parent_code`);
    if (parentCode && !REGION_CODE_PATTERN.test(parentCode))
      problems.push(`parent_code "${parentCode}" is not a 12-digit division code`);
    if (problems.length) errors.push({ line, message: problems.join('; ') });
    else rows.push({ line, code, name, level: level as Level, parentCode: parentCode || null });
  }
  return rows;
}

/** The codes the plan needs to look up in the database: every row's own and its parent's. */
export function referencedCodes(text: string): string[] {
  const codes = new Set<string>();
  for (const { fields } of parseCsv(text).slice(1)) {
    for (const value of [fields[0], fields[3]])
      if (value && REGION_CODE_PATTERN.test(value.trim())) codes.add(value.trim());
  }
  return [...codes];
}

/**
 * Checks the whole file against itself, the regions already stored and the
 * importer's scope, and says what to write. Rows may come in any order.
 */
export function planRegionImport(
  text: string,
  existing: Map<string, Region>,
  scopeCode: string | null,
): { plan: ImportPlan } | { errors: LineError[] } {
  const errors: LineError[] = [];
  const rows = readRows(text, errors);
  const inFile = new Map<string, Row>();
  for (const row of rows) {
    const first = inFile.get(row.code);
    if (first) errors.push({ line: row.line, message: `duplicate code ${row.code} (first on line ${first.line})` });
    else inFile.set(row.code, row);
  }

  const resolved = new Map<string, Region>();
  const resolve = (code: string): Region | undefined => {
    const known = resolved.get(code) ?? existing.get(code);
    if (known) return known;
    const row = inFile.get(code);
    if (!row) return undefined;
    const parent = row.parentCode ? resolveParent(row) : undefined;
    if (row.level !== 'county' && !parent) return undefined;
    const region: Region = {
      code: row.code,
      name: row.name,
      level: row.level,
      parentCode: row.parentCode,
      countyCode: parent ? parent.countyCode : row.code,
      townshipCode: row.level === 'township' ? row.code : row.level === 'village' ? parent!.code : null,
    };
    resolved.set(code, region);
    return region;
  };
  const resolveParent = (row: Row): Region | undefined => {
    const parent = resolve(row.parentCode!);
    return parent && parent.level === PARENT_LEVEL[row.level] ? parent : undefined;
  };

  const plan: ImportPlan = { rows: rows.length, create: [], rename: [], unchanged: 0 };
  for (const row of inFile.values()) {
    const stored = existing.get(row.code);
    if (stored) {
      if (stored.level !== row.level || stored.parentCode !== row.parentCode) {
        errors.push({
          line: row.line,
          message: `region ${row.code} already exists as a ${stored.level} under ${stored.parentCode ?? 'no parent'}; regions cannot move`,
        });
        continue;
      }
      if (!covers(scopeCode, stored))
        errors.push({ line: row.line, message: `region ${row.code} is outside your scope` });
      else if (stored.name === row.name) plan.unchanged++;
      else plan.rename.push({ code: row.code, name: row.name });
      continue;
    }
    if (row.parentCode) {
      const parent = resolve(row.parentCode);
      if (!parent) {
        errors.push({ line: row.line, message: `parent ${row.parentCode} is neither in the file nor stored` });
        continue;
      }
      if (parent.level !== PARENT_LEVEL[row.level]) {
        errors.push({
          line: row.line,
          message: `a ${row.level} must be under a ${PARENT_LEVEL[row.level]}, but ${row.parentCode} is a ${parent.level}`,
        });
        continue;
      }
    }
    const region = resolve(row.code);
    if (!region) continue; // its parent's own line carries the error
    if (!covers(scopeCode, region))
      errors.push({ line: row.line, message: `region ${row.code} is outside your scope` });
    else plan.create.push(region);
  }
  if (errors.length) return { errors: errors.sort((a, b) => a.line - b.line) };
  // Parents before children, so every insert finds its parent.
  const depth = (region: Region) => REGION_LEVELS.indexOf(region.level);
  plan.create.sort((a, b) => depth(a) - depth(b));
  return { plan };
}
