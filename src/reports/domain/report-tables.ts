import type { CivicReport, Mode } from './civic-report';

// The report as the tables a county office reads, with Chinese headers: the
// same tables become the CSV's sections and the workbook's sheets.

export type Cell = string | number | null;

export interface Column {
  header: string;
  /** How a spreadsheet should show it. */
  format?: 'integer' | 'decimal' | 'percent' | 'text';
  width?: number;
}

export interface ReportTable {
  /** Also the sheet's name (at most 31 characters). */
  name: string;
  columns: Column[];
  rows: Cell[][];
}

const MODE_NAMES: Record<Mode, string> = { onsite: '线下', on_air: '空中（广播）', online: '线上' };
export const PERIOD_NAMES = { month: '月度排查', quarter: '季度督查', half: '半年总结', year: '年度考核' } as const;
const RATING_NAMES = { excellent: '满意度：优秀', satisfied: '满意度：满意', unsatisfied: '满意度：不满意' } as const;

const int = (header: string, width = 12): Column => ({ header, format: 'integer', width });
const dec = (header: string, width = 12): Column => ({ header, format: 'decimal', width });
const text = (header: string, width = 20): Column => ({ header, format: 'text', width });

export function reportTitle(report: CivicReport): string {
  return `${report.region.name} 新时代文明实践${PERIOD_NAMES[report.period.kind]}报表（${report.period.label}）`;
}

export function reportTables(report: CivicReport): ReportTable[] {
  const { totals, onAir, orders } = report;
  return [
    {
      name: '概况',
      columns: [text('指标', 28), { header: '数值', width: 16 }],
      rows: [
        ['地区', `${report.region.name}（${report.region.code}）`],
        ['统计期间', `${report.period.first} 至 ${report.period.last}`],
        ['宣讲场次', totals.sessions],
        ['宣讲时长（小时）', totals.hours],
        ['受众人次（线下、线上）', totals.audience],
        ['参与志愿者（人）', totals.volunteers],
        ['宣讲员（人）', totals.lecturers],
        ['宣讲员服务时长（小时）', totals.lecturerHours],
        ['空中宣讲播出（次）', onAir.airings],
        ['应播终端（台次）', onAir.endpoints],
        ['完整播出终端（台次）', onAir.played],
        ['空中宣讲覆盖率', onAir.coverage === null ? '—' : `${(onAir.coverage * 100).toFixed(1)}%`],
        ['覆盖村（社区）数', onAir.villagesReached],
      ],
    },
    {
      name: '按宣讲方式',
      columns: [text('宣讲方式', 16), int('场次'), dec('时长（小时）'), int('受众人次')],
      rows: report.byMode.map((row) => [MODE_NAMES[row.mode], row.sessions, row.hours, row.audience]),
    },
    {
      name: '按月度主题',
      columns: [text('月度主题', 28), int('场次'), dec('时长（小时）'), int('受众人次')],
      rows: report.byTheme.map((row) => [row.theme, row.sessions, row.hours, row.audience]),
    },
    {
      name: '按宣讲题目',
      columns: [text('宣讲题目', 28), text('月度主题', 24), int('场次'), dec('时长（小时）'), int('受众人次')],
      rows: report.byTopic.map((row) => [row.topic, row.theme, row.sessions, row.hours, row.audience]),
    },
    {
      name: '按月',
      columns: [text('月份', 10), text('月度主题', 28), int('场次'), dec('时长（小时）'), int('受众人次')],
      rows: report.byMonth.map((row) => [row.month, row.theme, row.sessions, row.hours, row.audience]),
    },
    {
      name: '四单',
      columns: [text('环节', 28), int('单数')],
      rows: [
        ['点单（村民点单）', orders.ordered],
        ['派单（中心派单）', orders.dispatched],
        ['接单（队伍接单）', orders.accepted],
        ['已送达', orders.delivered],
        ['72小时内送达', orders.deliveredOnTime],
        ['超时退回（升级）', orders.escalated],
        ['评单（已评价）', orders.rated],
        [RATING_NAMES.excellent, orders.ratings.excellent],
        [RATING_NAMES.satisfied, orders.ratings.satisfied],
        [RATING_NAMES.unsatisfied, orders.ratings.unsatisfied],
        ['已撤销', orders.cancelled],
        ['办理中', orders.open],
      ],
    },
    {
      name: '宣讲台账',
      columns: [
        int('台账序号', 10),
        text('时间', 26),
        text('宣讲题目', 24),
        text('月度主题', 20),
        text('方式', 12),
        text('地点', 24),
        text('宣讲员', 20),
        int('时长（分钟）'),
        int('受众人次'),
        int('志愿者（人）'),
        int('完整播出终端'),
        int('应播终端'),
        int('覆盖村数'),
      ],
      rows: report.sessions.map((row) => [
        Number(row.seq),
        row.startsAt,
        row.topic,
        row.theme,
        MODE_NAMES[row.mode],
        row.regionName,
        row.lecturers,
        row.minutes,
        row.attendance,
        row.volunteers,
        row.endpointsPlayed,
        row.endpoints,
        row.villagesReached,
      ]),
    },
  ];
}

/**
 * RFC 4180 quoting: a field with a comma, quote or line break is quoted,
 * quotes doubled. Text a spreadsheet would run as a formula (=, +, -, @ first:
 * a topic title someone typed) is kept as text behind an apostrophe.
 */
function csvField(cell: Cell): string {
  const text = cell === null ? '' : String(cell);
  const value = typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${text}` : text;
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * One CSV file with a section per table (title line, header, rows, a blank
 * line), CRLF line ends, UTF-8 with a byte-order mark so a spreadsheet opens
 * the Chinese text correctly.
 */
export function toCsv(title: string, tables: ReportTable[]): Buffer {
  const lines = [csvField(title), ''];
  for (const table of tables) {
    lines.push(csvField(`【${table.name}】`), table.columns.map((column) => csvField(column.header)).join(','));
    for (const row of table.rows) lines.push(row.map(csvField).join(','));
    lines.push('');
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n'), 'utf8')]);
}
