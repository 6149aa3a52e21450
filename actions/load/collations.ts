/**
 * Collations a dump names that the server lacks. MySQL 8 dumps name `utf8mb4_0900_ai_ci` (and
 * `_as_cs`, language variants like `utf8mb4_ja_0900_as_cs`), which MariaDB rejects with error
 * 1273. Each is mapped to the nearest collation the server has, and the mapping is reported.
 * https://mariadb.com/kb/en/unicode-collation-algorithm/ (MariaDB 10.10+: uca1400 collations)
 */

export interface CollationMapper {
  /** The name to use for `name` (itself when the server has it or nothing is known). */
  map(name: string): string;
  /** What was mapped, and how often. */
  mappings(): Array<{ from: string; to: string; count: number }>;
}

/** `known`: every collation name the server accepts (lower-case); empty: map nothing. */
export function createCollationMapper(known: ReadonlySet<string>): CollationMapper {
  const counts = new Map<string, { to: string; count: number }>();
  const resolve = (name: string): string => {
    const lower = name.toLowerCase();
    if (known.size === 0 || known.has(lower)) return name;
    const m = /^([a-z0-9]+?)_(?:[a-z]{2,3}(?:_[a-z]+)?_)?0900_(ai_ci|as_cs|as_ci|bin)$/.exec(lower);
    const charset = m?.[1] ?? lower.split('_')[0]!;
    const kind = m?.[2];
    const candidates =
      kind === 'bin'
        ? [`${charset}_bin`]
        : kind === 'as_cs'
          ? [`${charset}_uca1400_as_cs`, `${charset}_bin`]
          : kind === 'as_ci'
            ? [`${charset}_uca1400_as_ci`, `${charset}_unicode_520_ci`, `${charset}_unicode_ci`]
            : [`${charset}_uca1400_ai_ci`, `${charset}_unicode_520_ci`, `${charset}_unicode_ci`, `${charset}_general_ci`];
    return candidates.find((c) => known.has(c)) ?? name;
  };
  return {
    map(name) {
      const to = resolve(name);
      if (to !== name) {
        const key = name.toLowerCase();
        const e = counts.get(key) ?? { to, count: 0 };
        e.count++;
        counts.set(key, e);
      }
      return to;
    },
    mappings: () => [...counts.entries()].map(([from, e]) => ({ from, to: e.to, count: e.count })),
  };
}

const COLLATION_WORD =
  /\b((?:utf8mb4|utf8mb3|utf8|utf16|utf32|ucs2|latin1|ascii|binary|cp932|sjis|ujis|eucjpms|gbk|gb18030|big5|euckr|tis620)_[a-z0-9_]*?(?:_ci|_cs|_bin))\b/gi;

/** Replaces, in DDL text, every collation name the server lacks. */
export function mapCollations(sql: string, mapper: CollationMapper): string {
  return sql.replace(COLLATION_WORD, (name) => mapper.map(name));
}
