import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agateTable } from '../../../actions/transform/project/dbt-relation.ts';
import { rewriteDbtJinja } from '../../../actions/transform/project/dbt-syntax.ts';
import { makeRelation } from '../../../actions/transform/project/resolver.ts';
import { TemplateEngine, type RenderHooks } from '../../../actions/transform/project/templating.ts';
import { renderWithWarehouse } from '../../../actions/transform/project/warehouse.ts';

const hooks = (extra: Partial<RenderHooks> = {}): RenderHooks => ({
  ref: (name) => makeRelation('s', name),
  source: (_s, t) => makeRelation('src', t),
  config: () => {},
  isIncremental: () => false,
  ...extra,
});

function render(
  src: string,
  extra: Partial<RenderHooks> = {},
  engine = new TemplateEngine({ vars: {}, target: { name: 'dev', schema: 'analytics' } }),
) {
  return engine.render(engine.compile(src, 'models/t.sql'), 'models/t.sql', hooks(extra)).trim();
}

test('{% do %}, list and dict methods, and namespace() with attribute assignment render as in Jinja', () => {
  assert.equal(render("{% set l = [] %}{% do l.append(1) %}{% do l.extend([2, 3]) %}{{ l | join(',') }}"), '1,2,3');
  assert.equal(render("{% set d = {} %}{% do d.update({'a': 1}) %}{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}"), 'a=1');
  assert.equal(render('{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}'), '6');
  assert.equal(render('{% set ns = namespace(msg="") %}{% set ns.msg %}hello {{ 1 + 1 }}{% endset %}{{ ns.msg }}'), 'hello 2');
});

test('macros take varargs and kwargs, return() any value, call blocks pass caller(), spreads pass through', () => {
  const src = [
    '{% macro m(a) %}{{ a }}|{{ varargs | join(",") }}|{{ kwargs.k }}{% endmacro %}',
    '{% macro r() %}{{ return({"x": [1, 2]}) }}{% endmacro %}',
    '{% macro wrap() %}[{{ caller() }}]{% endmacro %}',
    '{% macro fwd() %}{{ return(m(*varargs, **kwargs)) }}{% endmacro %}',
    '{{ m(1, 2, 3, k="v") }};{{ r().x[1] }};{% call wrap() %}in{% endcall %};{{ fwd(7, 8, k="w") }}',
  ].join('');
  assert.equal(render(src), '1|2,3|v;2;[in];7|8|w');
});

test('dicts with evaluated keys, trailing commas and Python string methods', () => {
  assert.equal(render("{% set k = 'a' %}{% set d = {k: 1, 'b': 2,} %}{{ d.a }}{{ d.b }}"), '12');
  assert.equal(
    render("{{ ' Ab '.strip().lower() }}|{{ 'a,b'.split(',') | length }}|{{ 'x.y.x'.replace('x', 'z') }}|{{ ', '.join(['p', 'q']) }}"),
    'ab|2|z.y.z|p, q',
  );
  assert.equal(render("{{ '{} and {}'.format(1, 2) }}|{{ 'abc'.startswith('ab') }}|{{ 'ABC'.upper() }}"), '1 and 2|true|ABC');
});

test('filters and tests dbt code uses: tojson, map, selectattr with a test, unique, is none, is mapping', () => {
  const cols = "[{'name': 'a', 'n': 1}, {'name': 'b', 'n': 2}]";
  assert.equal(render(`{{ ${cols} | map(attribute='name') | join(',') }}`), 'a,b');
  assert.equal(render(`{{ ${cols} | selectattr('n', 'equalto', 2) | map(attribute='name') | list | tojson }}`), '["b"]');
  assert.equal(
    render('{{ [1, 1, 2] | unique | list | length }}|{{ none is none }}|{{ {} is mapping }}|{{ fromjson(\'{"a": 3}\').a }}'),
    '2|true|true|3',
  );
});

test('modules, zip, set, exceptions, target, invocation_id and run_started_at', () => {
  assert.equal(render("{{ modules.datetime.datetime(2024, 3, 5).strftime('%Y/%m/%d') }}"), '2024/03/05');
  assert.equal(render("{{ modules.re.sub('[0-9]+', '#', 'a1b22') }}|{{ modules.itertools.product([1, 2], ['x']) | length }}"), 'a#b#|2');
  assert.equal(render('{% for a, b in zip([1, 2], ["x", "y"]) %}{{ a }}{{ b }}{% endfor %}|{{ set([1, 1, 2]) | length }}'), '1x2y|2');
  assert.equal(render('{{ target.schema }}.{{ target.database }}.{{ target.type }}'), 'analytics.analytics.mysql');
  assert.match(render('{{ invocation_id }}'), /^[0-9a-f-]{36}$/);
  assert.match(render("{{ run_started_at.strftime('%Y-%m-%d') }}"), /^\d{4}-\d\d-\d\d$/);
  assert.throws(() => render("{{ exceptions.raise_compiler_error('bad input') }}"), /bad input/);
});

test('execute is false while parsing (run_query gives None) and true with a warehouse, whose tables read as agate tables', () => {
  const src =
    "{% if execute %}{% set t = run_query('select 1') %}{{ t[0][0] }}/{{ t.columns[1].values() | join(',') }}/{{ t.rows | length }}{% else %}parse{% endif %}";
  assert.equal(render(src), 'parse');
  const warehouse = {
    query: () =>
      agateTable([
        { a: 5, b: 'x' },
        { a: 6, b: 'y' },
      ]),
  };
  assert.equal(render(src, { warehouse }), '5/x,y/2');
  const stmt = "{% call statement('s', fetch_result=True) %}select 1{% endcall %}{{ load_result('s').table.rows[1]['b'] }}";
  assert.equal(render(stmt, { warehouse }), 'y');
});

test('adapter.dispatch finds mysql__ then default__ along the search order; package macros live under their namespace', () => {
  const engine = new TemplateEngine({
    vars: {},
    rootPackage: 'proj',
    dispatch: [{ macro_namespace: 'pkg', search_order: ['proj', 'pkg'] }],
  });
  engine.loadMacros(
    "{% macro greet(x) %}{{ return(adapter.dispatch('greet', 'pkg')(x)) }}{% endmacro %}{% macro default__greet(x) %}hi {{ x }}{% endmacro %}{% macro mysql__shout(x) %}HEY {{ x }}{% endmacro %}{% macro shout(x) %}{{ adapter.dispatch('shout', 'pkg')(x) }}{% endmacro %}",
    'pkg/macros/g.sql',
    'pkg',
  );
  engine.loadMacros('{% macro default__shout(x) %}project {{ x }}{% endmacro %}', 'macros/o.sql', 'proj');
  assert.equal(render('{{ pkg.greet(1) }}|{{ greet(2) }}|{{ pkg.shout(3) }}', {}, engine), 'hi 1|hi 2|project 3');
  assert.throws(
    () => render("{{ adapter.dispatch('nothing', 'pkg')() }}", {}, engine),
    /found no mysql__nothing or default__nothing in proj, pkg/,
  );
});

test('a materialization block is removed with a warning; lines are kept by every rewrite', () => {
  const src = "a\n{% materialization x, adapter='mysql' %}\n{{ y }}\n{% endmaterialization %}\n{% do l.append(1) %}\nb";
  const out = rewriteDbtJinja(src);
  assert.equal(out.text.split('\n').length, src.split('\n').length);
  assert.equal(out.warnings.length, 1);
  assert.match(out.warnings[0]!.message, /\{% materialization x %\} is not run/);
});

test('a render that queries the warehouse replays with the answers: each statement runs once, in order', async () => {
  const engine = new TemplateEngine({ vars: {} });
  const template = engine.compile(
    "{% do adapter.drop_relation(api.Relation.create(schema='s', identifier='t', type='table')) %}{% set a = run_query('select 1 as x') %}{% set b = run_query('select 2 as x') %}{{ a[0][0] + b[0][0] }}",
    't.sql',
  );
  const ran: string[] = [];
  const out = await renderWithWarehouse(
    (warehouse) => engine.render(template, 't.sql', hooks({ warehouse })),
    async (sql) => {
      ran.push(sql);
      return sql.startsWith('select') ? [{ x: Number(sql.slice(7, 8)) }] : undefined;
    },
  );
  assert.equal(out, '3');
  assert.deepEqual(ran, ['drop table if exists `s`.`t`', 'select 1 as x', 'select 2 as x']);
});
