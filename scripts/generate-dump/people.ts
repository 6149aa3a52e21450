/**
 * A tenant's attributes, derived from the seed and the tenant's id alone, so that `tenants`,
 * `movings` (moveout reasons) and `inquiries` (nationality) agree without storing anything.
 */
import { AFFILIATION_TYPE, GENDER, PERSONAL_IDENTITY } from './codes.ts';
import { hash32, Rng } from './prng.ts';
import {
  COMPANIES,
  EMAIL_DOMAINS,
  FAMILY,
  FOREIGN_FAMILY,
  FOREIGN_GIVEN,
  GIVEN_FEMALE,
  GIVEN_MALE,
  NATIONALITY,
  SCHOOLS,
} from './pools.ts';

/** Dirty-data rates of `tenants` (README.md lists them). */
export const TENANT_DIRTY = {
  /** name with leading/trailing ASCII or full-width spaces */
  spacedName: 0.02,
  genderZero: 0.005,
  genderNull: 0.01,
  birthZero: 0.008,
  birthNull: 0.01,
} as const;

/** Tenants that always carry a rule (see FORCED in dirty.ts). */
export const FORCED_TENANT = { spacedName: 2, genderZero: 4, genderNull: 6, birthZero: 9 } as const;

export interface TenantAttributes {
  name: string;
  kana: string;
  /** -1 NULL */
  gender: number;
  /** Age in days at the tenant's first application; -1 NULL birth date, -2 '0000-00-00'. */
  ageDays: number;
  nationality: string;
  personalIdentity: number;
  affiliationType: number;
  affiliationName: string | null;
  email: string;
  tel: string;
}

const rng = new Rng(0);
const attrs = {} as TenantAttributes;
let cachedSeed = -1;
let cachedId = -1;

const SPACES = [' ', '　', '  ', ' 　'];

/** Attributes of tenant `id`. The returned object is reused by the next call: copy what you keep. */
export function tenantAttributes(seed: number, id: number): TenantAttributes {
  if (seed === cachedSeed && id === cachedId) return attrs;
  cachedSeed = seed;
  cachedId = id;
  rng.reset(hash32(seed, 3001), id);
  const nationality = NATIONALITY.pick(rng);
  const g = GENDER.pick(rng);
  const female = g === 2 || (g === 3 && rng.chance(0.5));
  let name: string;
  let kana: string;
  let romaji: string;
  if (nationality === '日本' || (nationality === '韓国' && rng.chance(0.2))) {
    const f = rng.pick(FAMILY);
    const given: readonly [string, string] = female ? rng.pick(GIVEN_FEMALE) : rng.pick(GIVEN_MALE);
    name = `${f[0]}　${given[0]}`;
    kana = `${f[1]} ${given[1]}`;
    romaji = '';
  } else {
    const given = rng.pick(FOREIGN_GIVEN);
    const f = rng.pick(FOREIGN_FAMILY);
    name = `${given[0]}・${f[0]}`;
    kana = `${given[0]} ${f[0]}`;
    romaji = `${given[1].toLowerCase()}.${f[1].toLowerCase()}`;
  }
  if (rng.chance(TENANT_DIRTY.spacedName) || id === FORCED_TENANT.spacedName) {
    const r = rng.next();
    name =
      r < 0.4 ? `${rng.pick(SPACES)}${name}` : r < 0.8 ? `${name}${rng.pick(SPACES)}` : `${rng.pick(SPACES)}${name}${rng.pick(SPACES)}`;
  }
  attrs.name = name;
  attrs.kana = kana;
  const gr = rng.next();
  attrs.gender =
    gr < TENANT_DIRTY.genderZero || id === FORCED_TENANT.genderZero
      ? 0
      : gr < TENANT_DIRTY.genderZero + TENANT_DIRTY.genderNull || id === FORCED_TENANT.genderNull
        ? -1
        : g;
  const br = rng.next();
  attrs.ageDays =
    br < TENANT_DIRTY.birthZero || id === FORCED_TENANT.birthZero
      ? -2
      : br < TENANT_DIRTY.birthZero + TENANT_DIRTY.birthNull
        ? -1
        : Math.floor((18 + Math.abs(rng.normal()) * 7 + rng.next() * 4) * 365.25);
  attrs.nationality = nationality;
  const identity = PERSONAL_IDENTITY.pick(rng);
  attrs.personalIdentity = identity;
  const aff = identity === 2 ? rng.pick([3, 4, 5, 6]) : AFFILIATION_TYPE.pick(rng);
  attrs.affiliationType = aff;
  attrs.affiliationName = aff >= 3 && aff <= 7 ? rng.pick(SCHOOLS) : aff === 18 || rng.chance(0.1) ? null : rng.pick(COMPANIES);
  attrs.email = `${romaji || 'user'}${id}@${rng.pick(EMAIL_DOMAINS)}`;
  attrs.tel = `0${rng.pick(['80', '90', '70'])}-${String(rng.int(1000, 9999))}-${String(rng.int(1000, 9999))}`;
  return attrs;
}
