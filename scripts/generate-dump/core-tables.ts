/**
 * The five tables the warehouse reads (apartments, rooms, tenants, movings, inquiries), with
 * exactly the columns of DOMAIN.md, filled from the planned World. Every value comes from a
 * stream or hash of the row's own id (never from a stream shared with other rows), so a row is
 * the same in every dump until an event changes it, and its updated_at is that event's day.
 */
import { isWeekend } from './calendar.ts';
import { APARTMENT_STATUS, CORPORATE_CONTRACT_TYPES, INQUIRY_CHANNEL, INQUIRY_TYPE, TENANT_STATUS } from './codes.ts';
import { correctedRent, touchedTel } from './daily-events.ts';
import { tableDef } from './ddl.ts';
import { tenantAttributes } from './people.ts';
import { hash32, Rng } from './prng.ts';
import { COMPANIES, HOUSE_WORDS, HOUSE_WORDS_EN, NATIONALITY, PLACES, PLACE_ROMAJI } from './pools.ts';
import { dateSql, dateTimeSql, str, type TableSource } from './table-source.ts';
import { countAt, HISTORY_START, secondOfDay } from './time-base.ts';
import { DIRTY, FORCED } from './dirty.ts';
import type { World } from './world.ts';

const TIMESTAMPS = ['created_at timestamp #作成日時', 'updated_at timestamp #更新日時'];

const ROOM_TYPES = ['', 'private', 'shared', 'dormitory'];

export function apartmentsTable(w: World): TableSource {
  const def = tableDef('apartments', {
    comment: '物件',
    columns: [
      'id int unsigned AI #物件ID',
      'apartment_name varchar(100) NN #物件名',
      'apartment_name_en varchar(100) #物件名（英語）',
      'prefecture varchar(10) NN #都道府県',
      'city varchar(50) NN #市区町村',
      'address varchar(255) #住所',
      'nearest_station varchar(50) #最寄り駅',
      'total_rooms smallint unsigned NN =0 #総部屋数',
      'opened_on date #開業日',
      'closed_on date #閉鎖日',
      'status tinyint unsigned NN =1 #状態 1:営業中 2:準備中 9:閉鎖',
      ...TIMESTAMPS,
    ],
    keys: { idx_apartments_status: ['status'], idx_apartments_prefecture_city: ['prefecture', 'city'] },
  });
  const rows = w.apartmentsAt(w.dumpDay);
  return {
    def,
    rows,
    async emit(sink) {
      const rng = new Rng(0);
      const stream = hash32(w.seed, 301);
      const cal = w.calendar;
      const dump = w.dumpDay;
      for (let a = 0; a < rows; a++) {
        rng.reset(stream, a);
        const [pref, city, town, station] = PLACES[w.aptPlace[a]!]!;
        const word = rng.int(0, HOUSE_WORDS.length - 1);
        const n = rng.int(1, 9);
        const name = `${town}${HOUSE_WORDS[word]}${n > 1 ? n : ''}`;
        const nameEn = rng.chance(0.05) ? null : `${PLACE_ROMAJI[town]} ${HOUSE_WORDS_EN[word]}${n > 1 ? ` ${n}` : ''}`;
        const address = `${pref}${city}${town}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)}`;
        const open = w.aptOpen[a]!;
        // A closing is known from its day on; opening and closing are the row's changes.
        const close = w.aptClose[a]! !== 0 && w.aptClose[a]! <= dump ? w.aptClose[a]! : 0;
        const status = open > dump ? APARTMENT_STATUS.preparing : close ? APARTMENT_STATUS.closed : APARTMENT_STATUS.open;
        const created = w.aptCreated[a]!;
        const createdSecond = rng.int(32400, 64800);
        const updated = close || (open <= dump ? Math.max(open, created) : created);
        const updatedSecond = updated === created ? createdSecond + rng.int(0, 3600) : secondOfDay(w.seed, 7301, a, updated);
        const tuple =
          `(${a + 1},${str(name)},${str(nameEn)},${str(pref)},${str(city)},${str(address)},${str(station)},${w.aptRooms[a]},` +
          `${dateSql(cal, open)},${close ? dateSql(cal, close) : 'NULL'},${status},` +
          `${dateTimeSql(cal, created, createdSecond)},${dateTimeSql(cal, updated, updatedSecond)})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
}

export function roomsTable(w: World): TableSource {
  const def = tableDef('rooms', {
    comment: '部屋',
    columns: [
      'id int unsigned AI #部屋ID',
      'apartment_id int unsigned NN #物件ID',
      'room_number varchar(20) NN #部屋番号',
      'floor tinyint #階',
      'room_type varchar(20) NN =private #部屋タイプ private/shared/dormitory',
      'area_sqm decimal(5,2) #面積（㎡）',
      'rent int unsigned NN =0 #賃料（円）',
      'common_fee int unsigned NN =0 #共益費（円）',
      'status tinyint unsigned NN =1 #状態 1:空室 2:入居中 3:修繕中 9:閉鎖',
      ...TIMESTAMPS,
    ],
    unique: { uk_rooms_apartment_room: ['apartment_id', 'room_number'] },
    keys: { idx_rooms_status: ['status'] },
    foreign: { fk_rooms_apartment: [['apartment_id'], 'apartments', ['id']] },
  });
  // Worker threads build the catalog without the plan's room state: only the main thread emits rooms.
  const rows = w.roomsAt(w.dumpDay);
  return {
    def,
    rows,
    async emit(sink) {
      const now = w.roomsNow!;
      const rng = new Rng(0);
      const stream = hash32(w.seed, 302);
      const cal = w.calendar;
      for (let i = 0; i < rows; i++) {
        rng.reset(stream, i);
        const a = w.roomApartment[i]!;
        const k = i - w.aptFirstRoom[a]!;
        const floor = 1 + Math.floor(k / 8);
        const type = w.roomType[i]!;
        const area = type === 1 ? rng.int(700, 1400) : type === 2 ? rng.int(1000, 1800) : rng.int(1400, 2400);
        // Entered with the apartment; changed by rent changes and by the tenants moving in and out (room-state.ts).
        const created = w.aptCreated[a]!;
        const createdSecond = rng.int(32400, 64800);
        const updated = now.updated[i]!;
        const updatedSecond = updated === created ? createdSecond + rng.int(0, 600) : secondOfDay(w.seed, 7302, i, updated);
        const tuple =
          `(${i + 1},${a + 1},'${floor}${String((k % 8) + 1).padStart(2, '0')}${type === 3 ? `-${'ABCD'[k % 4]}` : ''}',${floor},'${ROOM_TYPES[type]}',` +
          `${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')},${now.rent[i]},${now.fee[i]},${now.status[i]},` +
          `${dateTimeSql(cal, created, createdSecond)},${dateTimeSql(cal, updated, updatedSecond)})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
}

export function tenantsTable(w: World): TableSource {
  const def = tableDef('tenants', {
    comment: '入居者',
    columns: [
      'id int unsigned AI #入居者ID',
      'tenant_name varchar(100) NN #氏名',
      'tenant_name_kana varchar(100) #氏名（カナ）',
      'gender_type tinyint #性別 1:男性 2:女性 3:その他',
      'birth_date date #生年月日',
      'nationality varchar(50) #国籍',
      'personal_identity tinyint #属性 code_personal_identity',
      'affiliation_type tinyint #所属区分 code_affiliation_type',
      'affiliation_name varchar(100) #所属先名',
      'status tinyint NN =1 #ステータス code_tenant_status',
      'email varchar(255) #メールアドレス',
      'tel varchar(20) #電話番号',
      'is_deleted tinyint(1) NN =0 #削除フラグ',
      ...TIMESTAMPS,
    ],
    keys: { idx_tenants_status: ['status'], idx_tenants_email: ['email'], idx_tenants_is_deleted: ['is_deleted'] },
  });
  let rows = 0;
  for (let id = 1; id <= w.tenants; id++) if (!w.isPurged(id)) rows++;
  return {
    def,
    rows,
    autoIncrement: w.tenants + 1,
    async emit(sink) {
      const cal = w.calendar;
      for (let id = 1; id <= w.tenants; id++) {
        if (w.isPurged(id)) continue;
        const t = tenantAttributes(w.seed, id);
        const first = w.tenantFirstDay[id]!;
        const deleted = w.isSoftDeleted(id);
        const birth = t.ageDays < 0 ? t.ageDays : first - t.ageDays;
        const status = w.tenantStatus[id] || TENANT_STATUS.other;
        // The row changes when one of the tenant's contracts has an event, or the tenant gives a new phone number.
        const touched = w.tenantTouched[id]!;
        const updated = Math.max(w.tenantUpdated[id]!, touched);
        const h = hash32(w.seed, 7304, id);
        const updatedSecond = updated === first ? 75601 + ((h >>> 16) % 10799) : secondOfDay(w.seed, 7303, id, updated);
        const tel = touched ? touchedTel(w.seed, id, touched) : t.tel;
        const tuple =
          `(${id},${str(t.name)},${str(t.kana)},${t.gender < 0 ? 'NULL' : t.gender},${dateSql(cal, birth)},${str(t.nationality)},` +
          `${t.personalIdentity},${t.affiliationType},${str(t.affiliationName)},${status},${str(t.email)},${str(tel)},${deleted ? 1 : 0},` +
          `${dateTimeSql(cal, first, 32400 + (h % 43201))},${dateTimeSql(cal, updated, updatedSecond)})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
}

export function movingsTable(w: World): TableSource {
  const def = tableDef('movings', {
    comment: '入退去（契約）',
    columns: [
      'id int unsigned AI #契約ID',
      'tenant_id int unsigned NN #入居者ID',
      'apartment_id int unsigned NN #物件ID',
      'room_id int unsigned NN #部屋ID',
      'contract_type tinyint #契約種別 code_contract_type',
      'corporate_name varchar(100) #法人名',
      'application_date date #申込日',
      'contract_date date #契約日',
      'movein_date date #入居日',
      'planned_moveout_date date #退去予定日',
      'moveout_notice_date date #退去連絡日',
      'moveout_date date #退去日',
      'moveout_reason_id tinyint #退去理由 code_moveout_reason',
      'rent int unsigned NN =0 #賃料（円）',
      'deposit int unsigned NN =0 #デポジット（円）',
      'cancel_flag tinyint(1) NN =0 #キャンセルフラグ',
      ...TIMESTAMPS,
    ],
    keys: {
      idx_movings_tenant: ['tenant_id'],
      idx_movings_room: ['room_id'],
      idx_movings_apartment: ['apartment_id'],
      idx_movings_movein: ['movein_date'],
      idx_movings_moveout: ['moveout_date'],
    },
    foreign: { fk_movings_room: [['room_id'], 'rooms', ['id']] },
  });
  return {
    def,
    rows: w.contractsTotal,
    async emit(sink) {
      const cal = w.calendar;
      const seed = w.seed;
      // A missing date is sometimes the vendor's zero date instead of NULL (drawn per row and column).
      const missing = (id: number, column: number) => (hash32(seed, 7402, id, column) / 4294967296 < DIRTY.zeroDateForNull ? -2 : -1);
      for (const c of w.contracts()) {
        const corporate =
          c.contractType !== 0 && CORPORATE_CONTRACT_TYPES.has(c.contractType)
            ? COMPANIES[hash32(seed, 7401, c.id) % COMPANIES.length]!
            : null;
        const zeroPlanned = hash32(seed, 7403, c.id) / 4294967296 < DIRTY.zeroPlannedMoveout || c.id === FORCED.zeroPlannedMoveout;
        const planned = zeroPlanned ? -2 : c.plannedMoveoutDay;
        // A late correction (daily-events.ts) rewrites the rent and moves updated_at to its day.
        const fixed = w.corrections.get(c.id);
        const rent = fixed === undefined ? c.rent : correctedRent(seed, c.id, fixed, c.rent);
        const corrected = fixed !== undefined && fixed > c.updatedDay;
        const updated = corrected
          ? dateTimeSql(cal, fixed, secondOfDay(seed, 7102, c.id, fixed))
          : dateTimeSql(cal, c.updatedDay, c.updatedSecond);
        const tuple =
          `(${c.id},${c.tenantId},${w.roomApartment[c.roomIndex]! + 1},${c.roomIndex + 1},${c.contractType || 'NULL'},${str(corporate)},` +
          `${dateSql(cal, c.applicationDay)},${dateSql(cal, c.contractDay < 0 ? missing(c.id, 1) : c.contractDay)},${dateSql(cal, c.moveinDay)},` +
          `${dateSql(cal, planned)},${dateSql(cal, c.noticeDay < 0 ? missing(c.id, 2) : c.noticeDay)},${dateSql(cal, c.moveoutDay < 0 ? missing(c.id, 3) : c.moveoutDay)},` +
          `${c.moveoutReason || 'NULL'},${rent},${c.deposit},${c.cancelled ? 1 : 0},` +
          `${dateTimeSql(cal, c.applicationDay, c.applicationSecond)},${updated})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
}

export function inquiriesTable(w: World): TableSource {
  const def = tableDef('inquiries', {
    comment: '問い合わせ',
    columns: [
      'id int unsigned AI #問い合わせID',
      'inquiry_at datetime NN #問い合わせ日時',
      'inquiry_type tinyint NN =1 #区分 1:個人 2:法人',
      'channel varchar(20) #経路',
      'apartment_id int unsigned #物件ID',
      'tenant_id int unsigned #入居者ID',
      'nationality varchar(50) #国籍',
      'created_at timestamp #作成日時',
    ],
    keys: { idx_inquiries_inquiry_at: ['inquiry_at'], idx_inquiries_tenant: ['tenant_id'] },
  });
  const rows = countAt(w.inquiriesByDay, w.dumpDay);
  return {
    def,
    rows,
    async emit(sink) {
      const rng = new Rng(0);
      const stream = hash32(w.seed, 305);
      const cal = w.calendar;
      const dump = w.dumpDay;
      // Tenants planned to the horizon: an inquiry knows whom it will lead to, and the vendor
      // links it (tenant_id) on the day that tenant first applies.
      const known = w.tenantsAt(w.horizon);
      let id = 0;
      let lo = 1;
      for (let d = HISTORY_START; d <= dump; d++) {
        const n = countAt(w.inquiriesByDay, d) - countAt(w.inquiriesByDay, d - 1);
        const weekend = isWeekend(d);
        const apartments = w.apartmentsAt(d);
        rng.reset(stream, d);
        // Tenants whose first application is 3-60 days after this day may have asked first.
        while (lo <= known && w.tenantFirstDay[lo]! < d + 3) lo++;
        let hi = lo;
        while (hi <= known && w.tenantFirstDay[hi]! <= d + 60) hi++;
        let second = 7 * 3600;
        for (let k = 0; k < n; k++) {
          id++;
          second = Math.min(86399, second + rng.int(0, Math.floor((16 * 3600) / Math.max(1, n))));
          const tenant = hi > lo && rng.chance(0.35) ? rng.int(lo, hi - 1) : 0;
          const nationality = tenant ? tenantAttributes(w.seed, tenant).nationality : rng.chance(0.05) ? null : NATIONALITY.pick(rng);
          const apt = rng.chance(0.15) ? 0 : rng.int(1, apartments);
          const at = dateTimeSql(cal, d, second);
          // Companies ask on weekdays only (shape.ts).
          const type = INQUIRY_TYPE.pick(rng) === 2 && !weekend ? 2 : 1;
          const linked = tenant && w.tenantFirstDay[tenant]! <= dump ? tenant : 0;
          const tuple = `(${id},${at},${type},${str(INQUIRY_CHANNEL.pick(rng))},${apt || 'NULL'},${linked || 'NULL'},${str(nationality)},${at})`;
          if (!sink.rowText(tuple)) await sink.drain();
        }
      }
    },
  };
}
