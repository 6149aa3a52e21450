/**
 * What the engine needs from each of the 81 tables: its definition, its row count (known
 * before the first row, for AUTO_INCREMENT and progress) and a function that streams its rows
 * as mysqldump tuple text into a sink that applies backpressure.
 */
import type { Calendar } from './calendar.ts';
import type { TableDef } from './ddl.ts';
import { escapeString } from '../shared/sql-literal.ts';

export interface RowSink {
  /** One `(...)` tuple; false means: await drain() before the next. */
  rowText(tuple: string): boolean;
  drain(): Promise<void>;
}

export interface TableSource {
  def: TableDef;
  rows: number;
  /** The table's AUTO_INCREMENT (next id); default rows + 1. */
  autoIncrement?: number;
  emit(sink: RowSink): Promise<void>;
}

/** `'text'` escaped as mysqldump does, or NULL. */
export function str(s: string | null | undefined): string {
  return s === null || s === undefined ? 'NULL' : `'${escapeString(s)}'`;
}

/** A DATE literal: -1 is NULL, -2 is the vendor's '0000-00-00'. */
export function dateSql(cal: Calendar, day: number): string {
  if (day === -1) return 'NULL';
  if (day === -2) return "'0000-00-00'";
  return `'${cal.date(day)}'`;
}

export function dateTimeSql(cal: Calendar, day: number, second: number): string {
  return `'${cal.dateTime(day, second)}'`;
}
