// CAP fixtures and helpers shared by the specs of src/emergencies/domain/cap.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapRejected } from '../../src/emergencies/domain/cap/rejected';

export const FIXTURES = join(__dirname, '../fixtures/cap');
export const fixture = (path: string) => readFileSync(join(FIXTURES, path));
export const fixtureText = (path: string) => fixture(path).toString('utf8');

const SONGTAO = new Set(
  readFileSync(join(__dirname, '../fixtures/regions/songtao.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0])
    .filter(Boolean),
);
export const songtao = (code: string) => (SONGTAO.has(code) ? code : null);

export const rejection = (attempt: () => unknown): string => {
  try {
    attempt();
  } catch (error) {
    if (error instanceof CapRejected) return error.message;
    throw error;
  }
  throw new Error('expected a CapRejected');
};

// A small valid zh-CN alert; each spec case changes one thing in it.
export const BASE = `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>TEST-1</identifier>
  <sender>weather@520628.example</sender>
  <sent>2026-11-22T17:30:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨橙色预警</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <expires>2026-11-22T23:30:00+08:00</expires>
    <headline>松桃县气象台发布暴雨橙色预警信号</headline>
    <description>预计未来3小时内将出现50毫米以上降雨。</description>
    <area>
      <areaDesc>松桃苗族自治县</areaDesc>
      <polygon>27.1,109.1 27.2,109.1 27.2,109.2 27.1,109.1</polygon>
      <circle>27.15,109.15 5</circle>
      <geocode><valueName>GB/T 2260</valueName><value>520628</value></geocode>
    </area>
  </info>
</alert>`;
export const variant = (from: string, to: string, text = BASE) => {
  if (!text.includes(from)) throw new Error(`the document has no ${from}`);
  return text.replace(from, to);
};
