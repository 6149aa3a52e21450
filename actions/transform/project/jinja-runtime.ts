/**
 * The three places where nunjucks' runtime differs from Jinja's in ways dbt code relies on,
 * replaced once when the engine loads (nunjucks' compiled templates call these through the
 * `runtime` module object, so replacing its members is how nunjucks itself installs its Jinja
 * compatibility, see nunjucks/src/jinja-compat.js):
 *
 * - makeMacro: a macro sees the extra positional arguments as `varargs` and the extra keyword
 *   arguments as `kwargs`, and `{{ return(value) }}` ends the macro with that value (any type),
 *   as dbt's `return` does.
 * - callWrap: `f(*args, **kwargs)` (rewritten by dbt-syntax.ts into `__dbt_varargs=` and
 *   `__dbt_kwargs=` keywords) are spread into the call.
 * - truthiness: `if`, `and`, `or`, `not` and `x if c else y` follow Python (an empty list or
 *   dict is false: `{% if exclude and include %}` in dbt_utils relies on it), through `truthy`.
 * - memberLookup: an object's own methods win over the Python-like members nunjucks adds, and
 *   strings, lists and dicts get the Python methods dbt packages call (`.upper()`, `.split()`,
 *   `.items()`, ...; see python-methods.ts).
 */
import nunjucks from 'nunjucks';
import { isKeywords, splitArgs } from './jinja-args.ts';
import { pythonMember } from './python-methods.ts';

/** Thrown by `return(value)`; the macro being run catches it and returns the value. */
export class MacroReturn {
  constructor(readonly value: unknown) {}
}

type Runtime = {
  makeMacro: (argNames: string[], kwargNames: string[], func: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown;
  callWrap: (obj: unknown, name: string, context: unknown, args: unknown[]) => unknown;
  memberLookup: (obj: unknown, val: unknown, ...rest: unknown[]) => unknown;
  SafeString: new (s: string) => unknown;
};

const runtime = (nunjucks as unknown as { runtime: Runtime }).runtime;

function makeMacro(argNames: string[], kwargNames: string[], func: (...args: unknown[]) => unknown) {
  const names = [...argNames, ...kwargNames];
  return function macro(this: unknown, ...macroArgs: unknown[]) {
    const { positional, keywords } = splitArgs(macroArgs);
    const args: unknown[] = [];
    const kwargs: Record<string, unknown> = {};
    argNames.forEach((n, i) => {
      if (i < positional.length) args.push(positional[i]);
      else args.push(keywords[n]);
    });
    kwargNames.forEach((n, i) => {
      if (argNames.length + i < positional.length) kwargs[n] = positional[argNames.length + i];
      else if (Object.hasOwn(keywords, n)) kwargs[n] = keywords[n];
    });
    if ('caller' in keywords) kwargs.caller = keywords.caller;
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(keywords)) if (!names.includes(k) && k !== 'caller') extra[k] = v;
    // Read by the compiled macro body (see patchCompiledCode): Jinja's `varargs` and `kwargs`.
    kwargs.__dbt_varargs = positional.slice(names.length);
    kwargs.__dbt_extra = extra;
    args.push(kwargs);
    try {
      return func.apply(this, args);
    } catch (err) {
      if (err instanceof MacroReturn) return err.value;
      throw err;
    }
  };
}

function callWrap(obj: unknown, name: string, context: unknown, args: unknown[]): unknown {
  if (!obj) throw new Error(`Unable to call \`${name}\`, which is undefined or falsey`);
  if (typeof obj !== 'function') throw new Error(`Unable to call \`${name}\`, which is not a function`);
  const last = args[args.length - 1];
  if (isKeywords(last) && ('__dbt_varargs' in last || '__dbt_kwargs' in last)) {
    const { positional, keywords } = splitArgs(args);
    const spread = keywords.__dbt_varargs;
    const more = keywords.__dbt_kwargs;
    delete keywords.__dbt_varargs;
    delete keywords.__dbt_kwargs;
    const all = [...positional, ...(Array.isArray(spread) ? spread : [])];
    const kw = { ...keywords, ...(more && typeof more === 'object' ? (more as object) : {}) };
    if (Object.keys(kw).length > 0) all.push({ ...kw, __keywords: true });
    args = all;
  }
  return (obj as (...a: unknown[]) => unknown).apply(context, args);
}

/** Python's truthiness: None, False, 0, '', and empty lists and dicts are false. */
export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || Number.isNaN(v)) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof String) return v.length > 0;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v).some((k) => k !== '__keywords');
  return true;
}

/** A list made by `set()`: compared with `==` regardless of order. */
export const PY_SET = Symbol('set');

/** Python's `==`. */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof String) a = String(a);
  if (b instanceof String) b = String(b);
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if ((typeof a === 'number' || typeof a === 'boolean') && (typeof b === 'number' || typeof b === 'boolean'))
    return Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (PY_SET in a || PY_SET in b) return a.length === b.length && a.every((x) => b.some((y) => pyEquals(x, y)));
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Object.getPrototypeOf(a) === Object.prototype &&
    Object.getPrototypeOf(b) === Object.prototype
  ) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

type CompilerNode = { typename: string; lineno: number; colno: number; [k: string]: unknown };
type Compiler = {
  compile(node: unknown, frame: unknown): void;
  _emit(code: string): void;
  _binOpEmitter(node: unknown, frame: unknown, op: string): void;
};

/** Makes the compiler emit Python truthiness (see the header). */
function installTruthiness(): void {
  const nj = nunjucks as unknown as {
    compiler: { Compiler: { prototype: Record<string, unknown> } };
    nodes: { Group: { prototype: object } };
  };
  const proto = nj.compiler.Compiler.prototype;
  const r = runtime as unknown as Record<string, unknown>;
  r.truthy = truthy;
  r.pyOr = (left: unknown, right: () => unknown) => (truthy(left) ? left : right());
  r.pyAnd = (left: unknown, right: () => unknown) => (truthy(left) ? right() : left);
  // A node the compiler accepts wherever a Group is (assertType checks instanceof).
  const truthyNode = (target: CompilerNode) =>
    Object.defineProperties(Object.create(nj.nodes.Group.prototype) as CompilerNode, {
      typename: { value: 'PyTruthy' },
      target: { value: target },
      lineno: { value: target.lineno },
      colno: { value: target.colno },
    });
  proto.compilePyTruthy = function (this: Compiler, node: CompilerNode, frame: unknown) {
    this._emit('runtime.truthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  const lazyBinary = (fn: string) =>
    function (this: Compiler, node: CompilerNode, frame: unknown) {
      this._emit(`runtime.${fn}(`);
      this.compile(node.left, frame);
      this._emit(', () => (');
      this.compile(node.right, frame);
      this._emit('))');
    };
  r.pyAdd = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? [...a, ...b] : (a as number) + (b as number));
  r.pyEq = pyEquals;
  proto.compileAdd = function (this: Compiler, node: CompilerNode, frame: unknown) {
    this._emit('runtime.pyAdd(');
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  // `==`/`!=` compare values as Python does (lists and dicts by content, sets regardless of order).
  const compileCompare = proto.compileCompare as (this: Compiler, node: CompilerNode, frame: unknown) => void;
  proto.compileCompare = function (this: Compiler, node: CompilerNode, frame: unknown) {
    const ops = node.ops as { type: string; expr: unknown }[];
    if (ops.length !== 1 || (ops[0]!.type !== '==' && ops[0]!.type !== '!=')) return compileCompare.call(this, node, frame);
    this._emit(ops[0]!.type === '==' ? 'runtime.pyEq(' : '!runtime.pyEq(');
    this.compile(node.expr, frame);
    this._emit(', ');
    this.compile(ops[0]!.expr, frame);
    this._emit(')');
  };
  proto.compileOr = lazyBinary('pyOr');
  proto.compileAnd = lazyBinary('pyAnd');
  proto.compileNot = function (this: Compiler, node: CompilerNode, frame: unknown) {
    this._emit('!runtime.truthy(');
    this.compile(node.target, frame);
    this._emit(')');
  };
  for (const name of ['compileIf', 'compileInlineIf', 'compileIfAsync']) {
    const original = proto[name] as ((this: unknown, node: CompilerNode, ...rest: unknown[]) => unknown) | undefined;
    if (!original) continue;
    proto[name] = function (this: unknown, node: CompilerNode, ...rest: unknown[]) {
      const cond = node.cond as CompilerNode;
      node.cond = truthyNode(cond);
      try {
        return original.call(this, node, ...rest);
      } finally {
        node.cond = cond;
      }
    };
  }
}

let installed = false;

/** Replaces the runtime members above (once per process). */
export function installDbtRuntime(): void {
  if (installed) return;
  installed = true;
  nunjucks.installJinjaCompat();
  const jinjaLookup = runtime.memberLookup;
  // The name of a called expression goes into the compiled code as a "..." literal for error
  // messages, unescaped: a string with a newline (`'\nWarning: ...'.format(x)`, dbt_utils does
  // this) would break the compiled JavaScript.
  const compilerProto = (nunjucks as unknown as { compiler: { Compiler: { prototype: { _getNodeName(n: unknown): string } } } }).compiler
    .Compiler.prototype;
  const nodeName = compilerProto._getNodeName;
  compilerProto._getNodeName = function (this: unknown, n: unknown) {
    return nodeName
      .call(this, n)
      .replace(/\\/g, '\\\\')
      .replace(/[\n\r\u2028\u2029]/g, ' ');
  };
  installTruthiness();
  runtime.makeMacro = makeMacro;
  runtime.callWrap = callWrap;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    if (rest.length === 2) return jinjaLookup.call(this, obj, val, ...rest);
    if (obj !== null && obj !== undefined && typeof val === 'string') {
      if (typeof obj === 'string' || obj instanceof String) {
        const method = pythonMember(String(obj), val);
        if (method) return method;
        return jinjaLookup.call(this, obj, val);
      }
      const own = (obj as Record<string, unknown>)[val];
      // A dict's own key wins over a method of the same name (`kwargs.values`, a test argument).
      if (own !== undefined && typeof own !== 'function' && Object.hasOwn(obj, val)) return own;
      if (typeof own === 'function' && !(val in Object.prototype) && !Array.isArray(obj)) {
        // A callable with attributes of its own (`modules.datetime.datetime`, `api.Column`) is a
        // namespace: returned as is, so its attributes stay reachable.
        if (Object.keys(own).length > 0) return own;
        return (...args: unknown[]) => (own as (...a: unknown[]) => unknown).apply(obj, args);
      }
      const py = pythonMember(obj, val);
      if (py !== undefined) return py;
    }
    return jinjaLookup.call(this, obj, val);
  } as Runtime['memberLookup'];
}

/**
 * Makes a compiled template's macros see `varargs`/`kwargs` and restore the caller's frame even
 * when `return()` leaves them early. nunjucks compiles every macro body with the same prologue
 * and epilogue (compiler.js `_compileMacro`); this wraps the body between them in try/finally.
 */
export function patchCompiledCode(code: string): string {
  return (
    code
      .replace(
        /var callerFrame = frame;\n(frame = [^\n]*\n)kwargs = kwargs \|\| \{\};\n/g,
        (_m, frameLine: string) =>
          `var callerFrame = frame;\ntry {\n${frameLine}kwargs = kwargs || {};\nframe.set("varargs", kwargs.__dbt_varargs || []);\nframe.set("kwargs", kwargs.__dbt_extra || {});\n`,
      )
      .replace(
        /(frame = (?:frame\.pop\(\)|callerFrame);\nreturn new runtime\.SafeString\((t_\d+)\);\n)\}\);/g,
        '$1} finally { frame = callerFrame; }\n});',
      )
      // dbt exports every macro; nunjucks keeps those named with a leading underscore private.
      .replace(/context\.setVariable\("(_\w*)", (macro_t_\d+)\);/g, 'context.addExport("$1");\ncontext.setVariable("$1", $2);')
  );
}
