/**
 * The five tables the warehouse reads (apartments, rooms, tenants, movings, inquiries), with
 * exactly the columns of DOMAIN.md, filled from the planned World.
 */
import { isWeekend } from './calendar.ts';
import { APARTMENT_STATUS, INQUIRY_CHANNEL, INQUIRY_TYPE, ROOM_STATUS, TENANT_STATUS } from './codes.ts';
import { tableDef } from './ddl.ts';
import { tenantAttributes } from './people.ts';
import { Rng } from './prng.ts';
import { COMPANIES, HOUSE_WORDS, HOUSE_WORDS_EN, NATIONALITY, PLACES, PLACE_ROMAJI } from './pools.ts';
import { dateSql, dateTimeSql, str, type TableSource } from './table-source.ts';
import { DIRTY, FORCED, type World } from './world.ts';

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
  return {
    def,
    rows: w.apartments,
    async emit(sink) {
      const rng = new Rng(w.seed, 301);
      const cal = w.calendar;
      for (let a = 0; a < w.apartments; a++) {
        const [pref, city, town, station] = PLACES[w.aptPlace[a]!]!;
        const word = rng.int(0, HOUSE_WORDS.length - 1);
        const n = rng.int(1, 9);
        const name = `${town}${HOUSE_WORDS[word]}${n > 1 ? n : ''}`;
        const nameEn = rng.chance(0.05) ? null : `${PLACE_ROMAJI[town]} ${HOUSE_WORDS_EN[word]}${n > 1 ? ` ${n}` : ''}`;
        const address = `${pref}${city}${town}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)}`;
        const open = w.aptOpen[a]!;
        const close = w.aptClose[a]!;
        const status = open > w.dumpDay ? APARTMENT_STATUS.preparing : close ? APARTMENT_STATUS.closed : APARTMENT_STATUS.open;
        const created = Math.min(open - rng.int(30, 120), w.dumpDay);
        const updated = Math.min(w.dumpDay, Math.max(created, close || open) + rng.int(0, 30));
        const tuple =
          `(${a + 1},${str(name)},${str(nameEn)},${str(pref)},${str(city)},${str(address)},${str(station)},${w.aptRooms[a]},` +
          `${dateSql(cal, open)},${close ? dateSql(cal, close) : 'NULL'},${status},` +
          `${dateTimeSql(cal, created, rng.int(32400, 64800))},${dateTimeSql(cal, updated, rng.int(32400, 64800))})`;
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
  return {
    def,
    rows: w.rooms,
    async emit(sink) {
      const rng = new Rng(w.seed, 302);
      const cal = w.calendar;
      for (let i = 0; i < w.rooms; i++) {
        const a = w.roomApartment[i]!;
        const k = i - w.aptFirstRoom[a]!;
        const floor = 1 + Math.floor(k / 8);
        const type = w.roomType[i]!;
        const area = type === 1 ? rng.int(700, 1400) : type === 2 ? rng.int(1000, 1800) : rng.int(1400, 2400);
        const status = w.aptClose[a]
          ? ROOM_STATUS.closed
          : rng.chance(0.03)
            ? ROOM_STATUS.repair
            : rng.chance(0.85)
              ? ROOM_STATUS.occupied
              : ROOM_STATUS.available;
        const created = Math.min(w.aptOpen[a]! - rng.int(10, 60), w.dumpDay);
        const updated = Math.min(w.dumpDay, created + rng.int(0, 3000));
        const tuple =
          `(${i + 1},${a + 1},'${floor}${String((k % 8) + 1).padStart(2, '0')}${type === 3 ? `-${'ABCD'[k % 4]}` : ''}',${floor},'${ROOM_TYPES[type]}',` +
          `${Math.floor(area / 100)}.${String(area % 100).padStart(2, '0')},${w.roomRent[i]},${type === 3 ? 8000 : 10000},${status},` +
          `${dateTimeSql(cal, created, rng.int(32400, 64800))},${dateTimeSql(cal, updated, rng.int(32400, 64800))})`;
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
      const rng = new Rng(w.seed, 303);
      const cal = w.calendar;
      for (let id = 1; id <= w.tenants; id++) {
        if (w.isPurged(id)) continue;
        const t = tenantAttributes(w.seed, id);
        const first = w.tenantFirstDay[id]!;
        const deleted = w.isSoftDeleted(id);
        const birth = t.ageDays < 0 ? t.ageDays : first - t.ageDays;
        const status = w.tenantStatus[id] || TENANT_STATUS.other;
        const updated = Math.min(w.dumpDay, first + rng.int(0, 900));
        const tuple =
          `(${id},${str(t.name)},${str(t.kana)},${t.gender < 0 ? 'NULL' : t.gender},${dateSql(cal, birth)},${str(t.nationality)},` +
          `${t.personalIdentity},${t.affiliationType},${str(t.affiliationName)},${status},${str(t.email)},${str(t.tel)},${deleted ? 1 : 0},` +
          `${dateTimeSql(cal, first, rng.int(32400, 75600))},${dateTimeSql(cal, updated, rng.int(75601, 86399))})`;
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
      const rng = new Rng(w.seed, 304);
      const cal = w.calendar;
      // A missing date is sometimes the vendor's zero date instead of NULL.
      const missing = () => (rng.chance(DIRTY.zeroDateForNull) ? -2 : -1);
      for (const c of w.contracts()) {
        const corporate = c.contractType !== 0 && [5, 6, 7, 9].includes(c.contractType) ? rng.pick(COMPANIES) : null;
        const planned = rng.chance(DIRTY.zeroPlannedMoveout) || c.id === FORCED.zeroPlannedMoveout ? -2 : c.plannedMoveoutDay;
        const tuple =
          `(${c.id},${c.tenantId},${w.roomApartment[c.roomIndex]! + 1},${c.roomIndex + 1},${c.contractType || 'NULL'},${str(corporate)},` +
          `${dateSql(cal, c.applicationDay)},${dateSql(cal, c.contractDay < 0 ? missing() : c.contractDay)},${dateSql(cal, c.moveinDay)},` +
          `${dateSql(cal, planned)},${dateSql(cal, c.noticeDay < 0 ? missing() : c.noticeDay)},${dateSql(cal, c.moveoutDay < 0 ? missing() : c.moveoutDay)},` +
          `${c.moveoutReason || 'NULL'},${c.rent},${c.deposit},${c.cancelled ? 1 : 0},` +
          `${dateTimeSql(cal, c.applicationDay, c.applicationSecond)},${dateTimeSql(cal, c.updatedDay, c.updatedSecond)})`;
        if (!sink.rowText(tuple)) await sink.drain();
      }
    },
  };
}

/** Inquiries per contract at scale 1 (web forms, calls, LINE messages). */
const INQUIRIES_PER_CONTRACT = 2.2;

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
  const total = Math.round(w.contractsTotal * INQUIRIES_PER_CONTRACT);
  const days = w.dumpDay - w.startDay + 1;
  // Spread `total` evenly over the days.
  const perDay = (d: number) => Math.floor(((d - w.startDay + 1) * total) / days) - Math.floor(((d - w.startDay) * total) / days);
  return {
    def,
    rows: total,
    async emit(sink) {
      const rng = new Rng(w.seed, 305);
      const cal = w.calendar;
      let id = 0;
      let lo = 1;
      for (let d = w.startDay; d <= w.dumpDay; d++) {
        const n = perDay(d);
        const weekend = isWeekend(d);
        // Tenants whose first application is 3-60 days after this day may have asked first.
        while (lo <= w.tenants && w.tenantFirstDay[lo]! < d + 3) lo++;
        let hi = lo;
        while (hi <= w.tenants && w.tenantFirstDay[hi]! <= d + 60) hi++;
        let second = 7 * 3600;
        for (let k = 0; k < n; k++) {
          id++;
          second = Math.min(86399, second + rng.int(0, Math.floor((16 * 3600) / Math.max(1, n))));
          const tenant = hi > lo && rng.chance(0.35) ? rng.int(lo, hi - 1) : 0;
          const nationality = tenant ? tenantAttributes(w.seed, tenant).nationality : rng.chance(0.05) ? null : NATIONALITY.pick(rng);
          const apt = rng.chance(0.15) ? 0 : rng.int(1, w.apartments);
          const at = dateTimeSql(cal, d, second);
          // Companies ask on weekdays only (shape.ts).
          const type = INQUIRY_TYPE.pick(rng) === 2 && !weekend ? 2 : 1;
          const tuple = `(${id},${at},${type},${str(INQUIRY_CHANNEL.pick(rng))},${apt || 'NULL'},${tenant || 'NULL'},${str(nationality)},${at})`;
          if (!sink.rowText(tuple)) await sink.drain();
        }
      }
    },
  };
}
