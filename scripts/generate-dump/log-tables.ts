/**
 * The two big log tables that carry most of the dump's bytes (as in the vendor's database):
 * `access_logs` (every request to the tenant portal and the admin screens) and
 * `operation_logs` (staff edits with before/after JSON). Built for speed: values come from
 * pools precomputed once, each row is one string concatenation, times grow with the id. Logs
 * only grow: a later dump adds the rows written since.
 */
import type { Calendar } from './calendar.ts';
import { tableDef } from './ddl.ts';
import { Rng } from './prng.ts';
import { hash32 } from './prng.ts';
import { emitSegments, segmentIndex, str, type RowSink, type TableSource } from './table-source.ts';
import { EPOCH_SPAN, HISTORY_START } from './time-base.ts';
import type { World } from './world.ts';

/** Rows by the epoch at scale 1, calibrated so the whole dump of 2026-02-05 is about 945 MB. */
export const LOG_ROWS_SCALE_1 = { access_logs: 2_170_000, operation_logs: 520_000 } as const;

const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/**
 * The times of a log's rows: `atEpoch` rows from the history's start to the epoch, denser towards
 * it (growth: row i at span * sqrt(i / rows)), then at the epoch's rate (the growth stops, as the
 * contracts' does). Row i's time never depends on the dump date, which only says how many rows
 * have been written.
 */
export class LogClock {
  private readonly span = EPOCH_SPAN * 86400;
  private readonly atEpoch: number;
  private readonly cal: Calendar;
  constructor(cal: Calendar, atEpoch: number) {
    this.cal = cal;
    this.atEpoch = atEpoch;
  }

  /** Seconds from the history's start to row `i` (1-based), non-decreasing in i. */
  time(i: number): number {
    const n = this.atEpoch;
    if (i <= n) return Math.floor(this.span * Math.sqrt((i - 0.5) / n));
    return this.span + Math.floor(((i - n) * this.span) / (2 * n));
  }

  /** Rows written by the end of `day`. */
  rowsBy(day: number): number {
    const end = (day - HISTORY_START + 1) * 86400;
    if (end <= 0) return 0;
    const n = this.atEpoch;
    if (end >= this.span) return n + Math.max(0, Math.floor((2 * n * (end - this.span) + this.span - 1) / this.span) - 1);
    let i = Math.min(n, Math.floor(n * (end / this.span) ** 2 + 0.5));
    while (i < n && this.time(i + 1) < end) i++;
    while (i > 0 && this.time(i) >= end) i--;
    return i;
  }

  dayOf(t: number): number {
    return HISTORY_START + Math.floor(t / 86400);
  }

  /** `'YYYY-MM-DD HH:MM:SS'` of a time. */
  text(t: number): string {
    const s = t % 86400;
    return `'${this.cal.date(this.dayOf(t))} ${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}'`;
  }
}

function ipPool(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => `'${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}'`);
}

const AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Line/13.21.0 (iPhone; iOS 17.1.2)',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
].map((a) => str(a));

const PATHS = [
  '/',
  '/mypage',
  '/mypage/contract',
  '/mypage/invoices',
  '/mypage/payments',
  '/mypage/profile',
  '/mypage/maintenance/new',
  '/rooms',
  '/rooms/search',
  '/apartments',
  '/inquiry',
  '/inquiry/confirm',
  '/inquiry/complete',
  '/login',
  '/logout',
  '/admin',
  '/admin/tenants',
  '/admin/movings',
  '/admin/invoices',
  '/admin/rooms',
  '/admin/inquiries',
  '/admin/reports/occupancy',
  '/api/v1/rooms',
  '/api/v1/availability',
  '/en/rooms',
  '/zh/rooms',
  '/ko/rooms',
  '/favicon.ico',
];
const REFERERS = [
  'NULL',
  'NULL',
  "'https://www.google.com/'",
  "'https://gghouse.example.jp/'",
  "'https://gghouse.example.jp/rooms'",
  "'https://www.facebook.com/'",
  "'https://line.me/'",
];
const METHODS = ["'GET'", "'GET'", "'GET'", "'GET'", "'POST'", "'GET'", "'PUT'", "'GET'"];
const STATUS = ['200', '200', '200', '200', '200', '200', '302', '304', '200', '404', '200', '500'];

export function accessLogsTable(w: World): TableSource {
  const def = tableDef('access_logs', {
    comment: 'アクセスログ',
    columns: [
      'id bigint unsigned AI',
      'user_type tinyint NN =0 #0:ゲスト 1:入居者 2:管理者',
      'user_id int unsigned #ユーザーID',
      'method varchar(8) NN #HTTPメソッド',
      'path varchar(255) NN #パス',
      'query_string varchar(255) #クエリ',
      'status_code smallint unsigned NN #ステータス',
      'response_time_ms int unsigned NN =0 #応答時間',
      'ip_address varchar(45) #IPアドレス',
      'user_agent varchar(255) #ユーザーエージェント',
      'referer varchar(255) #リファラ',
      'created_at timestamp #作成日時',
    ],
    keys: { idx_access_logs_created_at: ['created_at'], idx_access_logs_user: ['user_type', 'user_id'] },
  });
  const clock = new LogClock(w.calendar, Math.round(LOG_ROWS_SCALE_1.access_logs * w.scale));
  const rows = clock.rowsBy(w.dumpDay);
  const ips = ipPool(new Rng(w.seed, 400), 4096);
  const paths = PATHS.map((p) => str(p));
  const admins = 64;
  const table: TableSource = {
    def,
    rows,
    emit: (sink) => emitSegments({ rows, segment: table.segment! }, sink),
    async segment(first: number, last: number, sink: RowSink) {
      const rng = new Rng(hash32(w.seed, 401), segmentIndex(first));
      for (let i = first; i <= last; i++) {
        const t = clock.time(i);
        const u = rng.u32();
        const userType = u & 3 ? (u & 4 ? 1 : 0) : 2;
        // A tenant who existed when the request came in.
        const user =
          userType === 1
            ? String(1 + (rng.u32() % Math.max(1, w.tenantsAt(clock.dayOf(t)))))
            : userType === 2
              ? String(1 + ((u >>> 8) % admins))
              : 'NULL';
        const p = (u >>> 3) % paths.length;
        const query = u & 0x100000 ? `'page=${(u >>> 21) & 15}&sort=${u & 0x2000000 ? 'rent' : 'new'}'` : 'NULL';
        const tuple =
          `(${i},${userType},${user},${METHODS[(u >>> 12) & 7]},${paths[p]},${query},${STATUS[(u >>> 15) % STATUS.length]},${20 + ((u >>> 7) & 511)},` +
          `${ips[(u >>> 18) & 4095]},${AGENTS[(u >>> 24) & 7]},${REFERERS[(u >>> 27) % REFERERS.length]},${clock.text(t)})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
  return table;
}

const ACTIONS = ["'create'", "'update'", "'update'", "'update'", "'delete'", "'login'", "'export'", "'update'"];
const TARGETS = ['tenants', 'movings', 'rooms', 'invoices', 'payments', 'inquiries', 'apartments', 'maintenance_requests'].map(
  (t) => `'${t}'`,
);
const FIELDS = ['status', 'rent', 'moveout_date', 'tel', 'email', 'memo', 'planned_moveout_date', 'contract_type'];

export function operationLogsTable(w: World): TableSource {
  const def = tableDef('operation_logs', {
    comment: '操作ログ',
    columns: [
      'id bigint unsigned AI',
      'admin_user_id int unsigned #管理者ID',
      'action varchar(20) NN #操作',
      'target_table varchar(50) #対象テーブル',
      'target_id int unsigned #対象ID',
      'before_data text #変更前',
      'after_data text #変更後',
      'ip_address varchar(45) #IPアドレス',
      'created_at timestamp #作成日時',
    ],
    keys: { idx_operation_logs_created_at: ['created_at'], idx_operation_logs_target: ['target_table', 'target_id'] },
  });
  const clock = new LogClock(w.calendar, Math.round(LOG_ROWS_SCALE_1.operation_logs * w.scale));
  const rows = clock.rowsBy(w.dumpDay);
  const ips = ipPool(new Rng(w.seed, 403), 64);
  const table: TableSource = {
    def,
    rows,
    emit: (sink) => emitSegments({ rows, segment: table.segment! }, sink),
    async segment(first: number, last: number, sink: RowSink) {
      const rng = new Rng(hash32(w.seed, 402), segmentIndex(first));
      for (let i = first; i <= last; i++) {
        const u = rng.u32();
        const action = ACTIONS[u & 7]!;
        const field = FIELDS[(u >>> 3) & 7]!;
        const v1 = rng.u32() % 100000;
        const v2 = rng.u32() % 100000;
        // JSON as Laravel's auditing stores it: the quotes come out escaped as \" in the dump.
        const before =
          action === "'update'" || action === "'delete'"
            ? `'{\\"id\\":${v1},\\"${field}\\":\\"${v2}\\",\\"updated_by\\":${1 + ((u >>> 6) & 63)},\\"note\\":\\"変更前の値\\"}'`
            : 'NULL';
        const after =
          action === "'update'" || action === "'create'"
            ? `'{\\"id\\":${v1},\\"${field}\\":\\"${v2 + 1}\\",\\"updated_by\\":${1 + ((u >>> 12) & 63)},\\"note\\":\\"担当者により更新\\"}'`
            : 'NULL';
        const tuple = `(${i},${1 + ((u >>> 6) & 63)},${action},${TARGETS[(u >>> 18) & 7]},${v1 + 1},${before},${after},${ips[(u >>> 21) & 63]},${clock.text(clock.time(i))})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
  return table;
}
