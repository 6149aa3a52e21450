import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CROSS_DATABASE_MACROS } from '../../../actions/transform/macros/cross-database.ts';
import { makeRelation } from '../../../actions/transform/project/resolver.ts';
import { TemplateEngine } from '../../../actions/transform/project/templating.ts';
import { queryRunner, renderWithWarehouse } from '../../../actions/transform/project/warehouse.ts';
import { openTestDb } from '../../helpers/db.ts';

const dbPromise = openTestDb(1);
after(async () => (await dbPromise).close());

const engine = new TemplateEngine({ vars: {}, rootPackage: 'proj' });
for (const m of CROSS_DATABASE_MACROS) engine.loadMacros(m.text, `<engine>/macros/${m.path}`, 'dbt');
const hooks = { ref: (n: string) => makeRelation('s', n), source: () => '', config: () => {}, isIncremental: () => false };
const sql = (src: string) => engine.render(engine.compile(src, 't.sql'), 't.sql', hooks).trim();

test("dbt's cross-database macros give MySQL/MariaDB SQL that computes what dbt documents", async () => {
  const db = await dbPromise;
  const cases: [string, unknown][] = [
    ["{{ dbt.dateadd('day', 3, \"'2024-02-27'\") }}", '2024-03-01'],
    ["{{ dbt.dateadd('month', -1, \"'2024-03-31'\") }}", '2024-02-29'],
    ["{{ dbt.datediff(\"'2024-01-31'\", \"'2024-02-01'\", 'month') }}", '1'],
    ["{{ dbt.datediff(\"'2024-01-01'\", \"'2024-01-15'\", 'day') }}", '14'],
    ["{{ dbt.date_trunc('month', \"'2024-05-17 10:11:12'\") }}", '2024-05-01 00:00:00'],
    ["{{ dbt.date_trunc('quarter', \"'2024-05-17'\") }}", '2024-04-01 00:00:00'],
    ["{{ dbt.date_trunc('week', \"'2024-05-17'\") }}", '2024-05-13 00:00:00'],
    ["{{ dbt.last_day(\"'2024-02-10'\", 'month') }}", '2024-02-29'],
    ["{{ dbt.last_day(\"'2024-02-10'\", 'quarter') }}", '2024-03-31'],
    ['{{ dbt.split_part("\'a,b,c\'", "\',\'", 2) }}', 'b'],
    ['{{ dbt.split_part("\'a,b,c\'", "\',\'", -1) }}', 'c'],
    ['{{ dbt.concat(["\'a\'", "\'b\'"]) }}', 'ab'],
    ['{{ dbt.position("\'b\'", "\'abc\'") }}', '2'],
    ['{{ dbt.length("\'日本\'") }}', '2'],
    ['{{ dbt.right("\'abcd\'", 2) }}', 'cd'],
    ['{{ dbt.replace("\'a-b-c\'", "\'-\'", "\'+\'") }}', 'a+b+c'],
    ['{{ dbt.string_literal("it\'s") }}', "it's"],
    ['{{ dbt.hash("\'a\'") }}', '0cc175b9c0f1b6a831c399e269772661'],
    ['{{ dbt.cast("\'12\'", dbt.type_bigint()) }}', '12'],
    ['{{ dbt.safe_cast("\'1.5\'", dbt.type_float()) }}', '1.5'],
    ['{{ dbt.cast_bool_to_text("1 = 1") }}', 'true'],
  ];
  for (const [src, expected] of cases) {
    const q = sql(src);
    const [row] = await db.query<{ v: unknown }>(`select ${q} as v`);
    assert.equal(String(row!.v), String(expected), `${src} -> ${q}`);
  }
  const listagg = sql("{{ dbt.listagg('x', \"'|'\", 'order by x desc', 2) }}");
  const [agg] = await db.query<{ v: string }>(`select ${listagg} as v from (select 'a' as x union all select 'b' union all select 'c') t`);
  assert.equal(agg!.v, 'c|b');
  // date_spine asks the database how many intervals there are (execute is true while running); the end is exclusive.
  const spineTemplate = engine.compile(
    "{{ dbt.date_spine('day', \"cast('2024-01-30' as date)\", \"cast('2024-02-02' as date)\") }}",
    's.sql',
  );
  const spine = await renderWithWarehouse((warehouse) => engine.render(spineTemplate, 's.sql', { ...hooks, warehouse }), queryRunner(db));
  const days = await db.query<{ d: string }>(`select cast(date_day as date) as d from (${spine}) s order by 1`);
  assert.deepEqual(
    days.map((r) => String(r.d).slice(0, 10)),
    ['2024-01-30', '2024-01-31', '2024-02-01'],
  );
});

test('a cross-database macro MySQL cannot express is a compile error naming the macro', () => {
  assert.throws(() => sql("{{ dbt.array_construct(['a'], 'int') }}"), /dbt\.array_construct: MySQL and MariaDB have no array type/);
});
