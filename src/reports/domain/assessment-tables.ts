import type { Assessment, AssessmentFigures } from './assessment';
import { PERIOD_NAMES, type Cell, type Column, type ReportTable } from './report-tables';

// The assessment as one table a county office reads: the region first, then
// the regions below it by rank, with Chinese headers. The same table becomes
// the CSV and the workbook (rates as fractions, shown as percentages there).

const LEVEL_NAMES = { county: '县', township: '乡镇（街道）', village: '村（社区）' } as const;

const int = (header: string, width = 12): Column => ({ header, format: 'integer', width });
const dec = (header: string, width = 12): Column => ({ header, format: 'decimal', width });
const pct = (header: string, width = 12): Column => ({ header, format: 'percent', width });
const text = (header: string, width = 20): Column => ({ header, format: 'text', width });

export function assessmentTitle(assessment: Assessment): string {
  return `${assessment.region.name} 新时代文明实践考核（${PERIOD_NAMES[assessment.period.kind]} ${assessment.period.label}）`;
}

const COLUMNS: Column[] = [
  text('排名', 8),
  text('地区', 24),
  text('区划代码', 14),
  text('层级', 12),
  int('17:30应播村日'),
  int('17:30播出村日'),
  pct('播出率'),
  int('应播喇叭（台次）'),
  int('在线播放喇叭（台次）'),
  pct('喇叭在线率'),
  int('点单数'),
  int('按时送达单数'),
  pct('按时送达率'),
  int('评价数'),
  int('满意'),
  int('基本满意'),
  int('不满意'),
  pct('满意率'),
  int('宣讲场次'),
  dec('宣讲时长（小时）'),
  int('志愿服务人次'),
  int('志愿者（人）'),
  dec('志愿服务时长（小时）'),
  pct('综合得分'),
];

function row(rank: string, region: Assessment['region'], f: AssessmentFigures): Cell[] {
  return [
    rank,
    region.name,
    region.code,
    LEVEL_NAMES[region.level],
    f.broadcast.scheduledDays,
    f.broadcast.airedDays,
    f.broadcast.rate,
    f.loudspeakers.expected,
    f.loudspeakers.reached,
    f.loudspeakers.rate,
    f.orders.orders,
    f.orders.onTime,
    f.orders.rate,
    f.satisfaction.ratings,
    f.satisfaction.excellent,
    f.satisfaction.satisfied,
    f.satisfaction.unsatisfied,
    f.satisfaction.rate,
    f.sessions.sessions,
    f.sessions.hours,
    f.volunteers.participations,
    f.volunteers.volunteers,
    f.volunteers.hours,
    f.score,
  ];
}

export function assessmentTables(assessment: Assessment): ReportTable[] {
  return [
    {
      name: '考核',
      columns: COLUMNS,
      rows: [
        row('合计', assessment.region, assessment.figures),
        ...assessment.children.map((child) =>
          row(child.rank === null ? '—' : String(child.rank), child.region, child.figures),
        ),
      ],
    },
  ];
}
