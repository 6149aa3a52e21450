/**
 * Names in a dump are bytes in the dump's client character set (`SET NAMES`, or the
 * `character_set_client` mysqldump sets around each CREATE). The loader keeps statements as
 * bytes (latin1 strings map each byte to one character, so nothing is lost on the way to the
 * server) and decodes a name ONCE, here, when it leaves the bytes: as a table name in results,
 * content hashes, row checks, the swap and the report. A name that goes back into a statement for
 * the load connections is used in its raw form (see TableState.raw in load-jobs.ts).
 * https://dev.mysql.com/doc/refman/8.0/en/charset-connection.html
 */

/** MySQL character set names → WHATWG encodings (TextDecoder); MySQL's latin1 is cp1252. */
const ENCODINGS: Record<string, string> = {
  utf8: 'utf-8',
  utf8mb3: 'utf-8',
  utf8mb4: 'utf-8',
  latin1: 'windows-1252',
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1256: 'windows-1256',
  cp1257: 'windows-1257',
  latin2: 'iso-8859-2',
  greek: 'iso-8859-7',
  hebrew: 'iso-8859-8',
  latin5: 'windows-1254',
  koi8r: 'koi8-r',
  koi8u: 'koi8-u',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
  ujis: 'euc-jp',
  eucjpms: 'euc-jp',
  gbk: 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
  big5: 'big5',
  euckr: 'euc-kr',
};

export type NameDecoder = (raw: string) => string;

const decoders = new Map<string, NameDecoder>();

/** Pure ASCII needs no decoding (almost every name): checked first, cheaply. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The decoder for a `character_set_client` value as the dump wrote it (`utf8mb4`, `'utf8mb4'`,
 * undefined = utf8mb4, what the loader's connections assume when the dump says nothing). `binary`
 * and `ascii` keep the bytes as latin1 characters; an unknown set falls back to UTF-8.
 */
export function nameDecoder(charset: string | undefined): NameDecoder {
  const cs = (charset ?? 'utf8mb4').replace(/^['"`]|['"`]$/g, '').toLowerCase();
  let d = decoders.get(cs);
  if (d) return d;
  if (cs === 'binary' || cs === 'ascii') d = (raw) => raw;
  else {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(ENCODINGS[cs] ?? 'utf-8');
    } catch {
      decoder = new TextDecoder('utf-8'); // an encoding this Node build lacks (small-icu)
    }
    d = (raw) => (isAscii(raw) ? raw : decoder.decode(Buffer.from(raw, 'latin1')));
  }
  decoders.set(cs, d);
  return d;
}
