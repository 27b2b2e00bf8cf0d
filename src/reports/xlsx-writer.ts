import ExcelJS from 'exceljs';
import type { Column, ReportTable } from './domain/report-tables';

const NUMBER_FORMATS: Record<NonNullable<Column['format']>, string> = {
  integer: '0',
  decimal: '0.0',
  percent: '0.0%',
  text: '@',
};

/** The report's tables as an Excel workbook: a sheet per table, its title above a bold, frozen header row. */
export async function toXlsx(title: string, tables: ReportTable[], created: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Dalaba 大喇叭';
  workbook.title = title;
  workbook.created = created;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns = table.columns.map((column) => ({
      width: column.width ?? 14,
      style: column.format ? { numFmt: NUMBER_FORMATS[column.format] } : {},
    }));
    const heading = sheet.addRow([title]);
    heading.font = { bold: true, size: 13 };
    sheet.mergeCells(1, 1, 1, table.columns.length);
    const header = sheet.addRow(table.columns.map((column) => column.header));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
      cell.alignment = { vertical: 'middle', wrapText: true };
    });
    for (const row of table.rows) sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
