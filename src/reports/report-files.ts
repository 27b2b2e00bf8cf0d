import type { FastifyReply } from 'fastify';
import { type ReportTable, toCsv } from './domain/report-tables';
import { toXlsx } from './xlsx-writer';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Tables as a CSV or XLSX download: an ASCII file name, and the Chinese title as the UTF-8 one a browser shows. */
export async function sendTables(
  reply: FastifyReply,
  format: 'csv' | 'xlsx',
  { title, tables, file }: { title: string; tables: ReportTable[]; file: string },
): Promise<Buffer> {
  const body = format === 'csv' ? toCsv(title, tables) : await toXlsx(title, tables, new Date());
  reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
    .header(
      'content-disposition',
      `attachment; filename="${file}.${format}"; filename*=UTF-8''${encodeURIComponent(`${title}.${format}`)}`,
    );
  return body;
}
