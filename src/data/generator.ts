// A procedural generator of small, correct Python functions: the data for tests, for the in-browser
// fine-tuning demo and extra training data. Each template is one idiom (accumulator loop, index
// search, early return, try/except, method on self, comprehension...); names, operators, constants
// and docstrings are drawn from pools so no two functions need look alike. Deterministic per seed:
// function i depends only on (seed, i), so a split can be assigned by index.

import { Rng, deriveSeed } from '../model';
import { generatedHints, modernTemplateFunction } from './generator-modern';
import { modernize } from './modernize';

export interface GeneratedFunction {
  name: string;
  /** Valid Python, `def` at column 0, four-space indentation, ending with '\n'. */
  text: string;
  /** Which template made it. */
  template: string;
  /** Its index in the generated sequence (the split is chosen by it). */
  index: number;
}

export interface GeneratorOptions {
  /** Chance of a one-line docstring (needed for `generate` examples). Default 0.6. */
  docstringRate?: number;
  /** Chance of a comment line in the body. Default 0.1. */
  commentRate?: number;
  /**
   * Chance that a function is modern: annotated (with the types its names really have), f-strings,
   * async, walrus... (see modernize.ts), or from a modern-only template. Default 0: the classic
   * functions, byte for byte as before, so existing splits stay reproducible.
   */
  modern?: number;
}

/** Share of the modern functions that come from modern-only templates rather than modernized classic ones. */
const MODERN_TEMPLATE_SHARE = 0.25;

/** A collection and the name of one of its elements. */
type Pair = readonly [string, string];
const NUMBER_PAIRS: readonly Pair[] = [
  ['values', 'value'], ['numbers', 'number'], ['scores', 'score'], ['prices', 'price'], ['nums', 'n'],
  ['xs', 'x'], ['counts', 'count'], ['sizes', 'size'], ['weights', 'weight'], ['ages', 'age'],
  ['amounts', 'amount'], ['totals', 'subtotal'], ['readings', 'reading'], ['marks', 'mark'],
];
const TEXT_PAIRS: readonly Pair[] = [
  ['words', 'word'], ['names', 'name'], ['lines', 'line'], ['tokens', 'token'], ['labels', 'label'],
  ['keys', 'key'], ['tags', 'tag'], ['titles', 'title'], ['paths', 'path'], ['codes', 'code'],
];
const ANY_PAIRS: readonly Pair[] = [
  ...NUMBER_PAIRS, ...TEXT_PAIRS, ['items', 'item'], ['records', 'record'], ['entries', 'entry'],
  ['rows', 'row'], ['elements', 'element'], ['nodes', 'node'],
];
const ACCUMULATORS = ['total', 'result', 'acc', 'running', 'sum_so_far', 'subtotal_sum'];
const COUNTERS = ['count', 'hits', 'found', 'matches', 'n_found', 'tally'];
const LIMITS = ['limit', 'threshold', 'target', 'bound', 'cutoff', 'minimum', 'pivot'];
const DEFAULTS = ['default', 'fallback', 'missing', 'otherwise'];
const ATTRS = ['items', 'data', 'entries', 'values', 'records', 'queue', 'stack', 'history'];
const NUM_ATTRS = ['count', 'size', 'total', 'balance', 'capacity', 'limit', 'level', 'score'];
const TEXT_ATTRS = ['name', 'title', 'label', 'owner', 'prefix', 'kind'];
const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const;
const COMPARISON_WORDS: Record<string, string> = {
  '==': 'equal to', '!=': 'different from', '<': 'below', '<=': 'at most', '>': 'above', '>=': 'at least',
};
const STRING_METHODS = ['upper', 'lower', 'strip', 'title', 'capitalize'];
const EXCEPTIONS = ['ValueError', 'TypeError', 'KeyError', 'IndexError', 'ZeroDivisionError'];
const COMMENTS = ['# start from the beginning', '# keep going', '# nothing found yet', '# simple case first', '# TODO: handle more cases'];

/** Picks from pools with one generator. */
class Picker {
  constructor(readonly rng: Rng) {}
  one<T>(pool: readonly T[]): T {
    return pool[this.rng.nextInt(pool.length)]!;
  }
  int(low: number, high: number): number {
    return low + this.rng.nextInt(high - low + 1);
  }
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  /** A name from the pool that is not among `taken`. */
  fresh(pool: readonly string[], taken: readonly string[]): string {
    const free = pool.filter((name) => !taken.includes(name));
    return free.length > 0 ? this.one(free) : `${this.one(pool)}_${taken.length}`;
  }
}

/** What a template builds: a signature, a docstring and body lines (four-space indented, relative). */
interface Draft {
  name: string;
  params: string;
  doc: string;
  body: string[];
  /** Return annotation, written on some functions. */
  returns?: string;
}
type Template = (p: Picker) => Draft;

const TEMPLATES: Record<string, Template> = {
  sum_loop: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const acc = p.one(ACCUMULATORS);
    const [verb, op, start, term] = p.one([['sum', '+=', '0', x], ['product', '*=', '1', x], ['sum_squares', '+=', '0', `${x} * ${x}`], ['sum_abs', '+=', '0', `abs(${x})`], ['sum_halves', '+=', '0.0', `${x} / 2`]] as const);
    return { name: `${verb}_${xs}`, params: xs, doc: `Return the ${verb.replace('_', ' of ')} of the ${xs}.`, body: [`${acc} = ${start}`, `for ${x} in ${xs}:`, `    ${acc} ${op} ${term}`, `return ${acc}`], returns: p.one(['int', 'float']) };
  },
  count_compare: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const [c, lim, op] = [p.one(COUNTERS), p.fresh(LIMITS, [xs, x]), p.one(COMPARISONS)];
    return { name: `count_${xs}`, params: `${xs}, ${lim}`, doc: `Count the ${xs} ${COMPARISON_WORDS[op]} ${lim}.`, body: [`${c} = 0`, `for ${x} in ${xs}:`, `    if ${x} ${op} ${lim}:`, `        ${c} += 1`, `return ${c}`] };
  },
  index_search: (p) => {
    const [xs] = p.one(ANY_PAIRS);
    const [i, target] = [p.one(['i', 'idx', 'index', 'pos']), p.fresh(['target', 'wanted', 'needle', 'goal'], [xs])];
    return { name: `find_${p.one(['index', 'position', 'first'])}`, params: `${xs}, ${target}`, doc: `Return the index of ${target} in ${xs}, or -1.`, body: [`for ${i} in range(len(${xs})):`, `    if ${xs}[${i}] == ${target}:`, `        return ${i}`, 'return -1'] };
  },
  max_loop: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const best = p.one(['best', 'largest', 'top', 'current', 'winner', 'extreme']);
    const op = p.one(['>', '<', '>=', '<=']);
    const word = op.startsWith('>') ? 'largest' : 'smallest';
    return { name: `${word}_${p.chance(0.5) ? x : xs}`, params: xs, doc: `Return the ${word} of the ${xs}.`, body: [`${best} = ${xs}[0]`, `for ${x} in ${xs}[1:]:`, `    if ${x} ${op} ${best}:`, `        ${best} = ${x}`, `return ${best}`] };
  },
  filter_list: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const [out, lim, op] = [p.one(['result', 'kept', 'selected', 'out']), p.fresh(LIMITS, [xs, x]), p.one(COMPARISONS)];
    return { name: `filter_${xs}`, params: `${xs}, ${lim}`, doc: `Keep the ${xs} ${COMPARISON_WORDS[op]} ${lim}.`, body: [`${out} = []`, `for ${x} in ${xs}:`, `    if ${x} ${op} ${lim}:`, `        ${out}.append(${x})`, `return ${out}`] };
  },
  count_words: (p) => {
    const [ws, w] = p.one(TEXT_PAIRS);
    const counts = p.one(['counts', 'freq', 'histogram', 'tally']);
    const update = p.chance(0.5) ? [`    ${counts}[${w}] = ${counts}.get(${w}, 0) + 1`] : [`    if ${w} in ${counts}:`, `        ${counts}[${w}] += 1`, '    else:', `        ${counts}[${w}] = 1`];
    return { name: `count_${ws}`, params: ws, doc: `Count how often each of the ${ws} occurs.`, body: [`${counts} = {}`, `for ${w} in ${ws}:`, ...update, `return ${counts}`], returns: 'dict' };
  },
  dict_from_pairs: (p) => {
    const [k, v] = p.one([['key', 'value'], ['name', 'score'], ['label', 'count'], ['code', 'title']] as const);
    const out = p.one(['result', 'mapping', 'table', 'lookup']);
    const invert = p.chance(0.3);
    return { name: `${invert ? 'invert' : 'build'}_${out}`, params: p.one(['pairs', 'items', 'entries', 'rows', 'tuples']), doc: invert ? 'Build a reversed dictionary from pairs.' : 'Build a dictionary from key-value pairs.', body: [`${out} = {}`, `for ${k}, ${v} in ${'PAIRS'}:`, invert ? `    ${out}[${v}] = ${k}` : `    ${out}[${k}] = ${v}`, `return ${out}`], returns: 'dict' };
  },
  format_call: (p) => {
    const [a, b] = p.one([['name', 'value'], ['label', 'count'], ['key', 'score'], ['title', 'price'], ['user', 'age'], ['field', 'amount']] as const);
    const sep = p.one([': ', ' = ', ' -> ', ' is ', ', ', '/']);
    const pattern = p.chance(0.5) ? `{}${sep}{}` : `{0}${sep}{1}`;
    return { name: p.one(['format', 'describe', 'pretty', 'text_of']) + `_${a}`, params: `${a}, ${b}`, doc: `Format ${a} and ${b} as text.`, body: [`return "${pattern}".format(${a}, ${b})`], returns: 'str' };
  },
  fstring: (p) => {
    const [xs] = p.one(ANY_PAIRS);
    const owner = p.fresh(['name', 'owner', 'user', 'label'], [xs]);
    return { name: `describe_${xs}`, params: `${owner}, ${xs}`, doc: `Describe how many ${xs} ${owner} has.`, body: [`${p.one(['n', 'size', 'how_many'])} = len(${xs})`, `return f"{${owner}} has {${'N'}} ${xs}"`] };
  },
  concat_str: (p) => {
    const [a, b] = p.one([['name', 'value'], ['label', 'count'], ['key', 'score'], ['title', 'size'], ['user', 'age'], ['item', 'price']] as const);
    const [out, sep] = [p.one(['text', 'line', 'out', 's', 'message']), p.one(['": "', '" = "', '" -> "', '" "', '"="'])];
    const body = p.chance(0.5) ? [`${out} = ${a} + ${sep} + str(${b})`, `return ${out}`] : [`return ${a} + ${sep} + str(${b})`];
    return { name: p.one(['render', 'show', 'as_text', 'line_for']) + `_${a}`, params: `${a}, ${b}`, doc: `Join ${a} and ${b} into one line.`, body, returns: 'str' };
  },
  while_countdown: (p) => {
    const n = p.one(['n', 'steps', 'remaining', 'k', 'count', 'i']);
    const acc = p.one(ACCUMULATORS);
    const [op, start, verb] = p.one([['+=', '0', 'Add'], ['*=', '1', 'Multiply']] as const);
    return { name: p.one(['sum_down', 'count_down', 'accumulate', 'reduce']) + `_${n}`, params: n, doc: `${verb} ${n}, ${n} - 1, ... down to 1.`, body: [`${acc} = ${start}`, `while ${n} ${p.one(['> 0', '>= 1'])}:`, `    ${acc} ${op} ${n}`, `    ${n} -= 1`, `return ${acc}`], returns: 'int' };
  },
  while_search: (p) => {
    const [xs] = p.one(ANY_PAIRS);
    const [i, target] = [p.one(['i', 'j', 'pos']), p.fresh(['target', 'wanted', 'stop_at'], [xs])];
    return { name: `skip_to_${target}`, params: `${xs}, ${target}`, doc: `Return the position of the first ${target} in ${xs}.`, body: [`${i} = 0`, `while ${i} < len(${xs}) and ${xs}[${i}] != ${target}:`, `    ${i} += 1`, `return ${i}`] };
  },
  early_return_empty: (p) => {
    const [xs] = p.one(ANY_PAIRS);
    const [word, index] = p.one([['first', '0'], ['last', '-1'], ['second', '1'], ['middle', `len(${xs}) // 2`]] as const);
    const empty = p.one(['None', '0', '""', '-1']);
    const test = p.one([`not ${xs}`, `len(${xs}) == 0`, `${xs} is None or not ${xs}`]);
    return { name: `${word}_${p.one(['of', 'in', 'from'])}_${xs}`, params: xs, doc: `Return the ${word} of the ${xs}, or ${empty} when empty.`, body: [`if ${test}:`, `    return ${empty}`, `return ${xs}[${index}]`] };
  },
  parse_int: (p) => {
    const [text, d] = [p.one(['text', 'raw', 's', 'value']), p.one(DEFAULTS)];
    return { name: `parse_${p.one(['int', 'number', 'count'])}`, params: `${text}, ${d}=${p.int(0, 9)}`, doc: `Parse ${text} as an integer, ${d} when it is not one.`, body: ['try:', `    return int(${text})`, 'except ValueError:', `    return ${d}`] };
  },
  lookup_default: (p) => {
    const [m, k, d] = [p.one(['mapping', 'table', 'config', 'options', 'settings', 'cache', 'registry']), p.one(['key', 'name', 'field', 'ident', 'code']), p.one(DEFAULTS)];
    return { name: p.one(['lookup', 'get', 'find', 'fetch']) + `_${k}`, params: `${m}, ${k}, ${d}=${p.one(['None', '0', '""'])}`, doc: `Return ${m}[${k}], or ${d} when missing.`, body: ['try:', `    return ${m}[${k}]`, `except ${p.one(['KeyError', 'LookupError'])}:`, `    return ${d}`] };
  },
  safe_divide: (p) => {
    const [a, b] = p.one([['a', 'b'], ['num', 'den'], ['total', 'count'], ['x', 'y'], ['distance', 'time'], ['part', 'whole']] as const);
    const [op, d] = [p.one(['/', '//', '%']), p.one(['0', '0.0', 'None', 'default'])];
    return { name: p.one(['safe_divide', 'ratio', 'safe_ratio', 'divide', 'share']), params: d === 'default' ? `${a}, ${b}, default=0` : `${a}, ${b}`, doc: `Divide ${a} by ${b}, ${d} when ${b} is zero.`, body: ['try:', `    ${p.one(['result', 'out', 'q', 'value'])} = ${a} ${op} ${b}`, `except ${p.one(['ZeroDivisionError', 'ArithmeticError'])}:`, `    return ${d}`, `return ${'RESULT'}`] };
  },
  method_append: (p) => {
    const [attr, num] = [p.one(ATTRS), p.one(NUM_ATTRS)];
    const item = p.one(['item', 'entry', 'value', 'record']);
    return { name: `add_${item}`, params: `self, ${item}`, doc: `Store ${item} and update the ${num}.`, body: [`self.${attr}.append(${item})`, `self.${num} += 1`, `return self.${num}`] };
  },
  method_total: (p) => {
    const [attr, acc] = [p.one(ATTRS), p.one(ACCUMULATORS)];
    const [item, field] = [p.one(['item', 'entry', 'record']), p.one(['price', 'size', 'weight', 'amount'])];
    return { name: `total_${field}`, params: 'self', doc: `Return the total ${field} of the ${attr}.`, body: [`${acc} = 0`, `for ${item} in self.${attr}:`, `    ${acc} += ${item}.${field}`, `return ${acc}`] };
  },
  method_is_full: (p) => {
    const [attr, cap] = [p.one(ATTRS), p.one(['capacity', 'limit', 'max_size', 'size'])];
    const op = p.one(['>=', '>', '==']);
    return { name: p.one(['is_full', 'at_capacity', 'full']), params: 'self', doc: `Whether the ${attr} reached the ${cap}.`, body: [`return len(self.${attr}) ${op} self.${cap}`] };
  },
  method_withdraw: (p) => {
    const [bal, amount] = [p.one(['balance', 'funds', 'stock', 'credit', 'budget', 'points']), p.one(['amount', 'qty', 'value', 'cost', 'n'])];
    const refuse = p.one(['    return False', `    raise ValueError("not enough ${bal}")`]);
    return { name: p.one(['withdraw', 'take', 'remove_amount', 'spend', 'use', 'consume']), params: `self, ${amount}`, doc: `Take ${amount} from the ${bal} if there is enough.`, body: [`if ${amount} > self.${bal}:`, refuse, `self.${bal} -= ${amount}`, 'return True'], returns: 'bool' };
  },
  method_init: (p) => {
    const [text, num, list] = [p.one(TEXT_ATTRS), p.one(NUM_ATTRS), p.one(ATTRS)];
    return { name: '__init__', params: `self, ${text}, ${num}=${p.int(0, 10)}`, doc: `Create a new object named by ${text}.`, body: [`self.${text} = ${text}`, `self.${num} = ${num}`, `self.${list} = []`] };
  },
  method_describe: (p) => {
    const [text, num] = [p.one(TEXT_ATTRS), p.one(NUM_ATTRS)];
    const pattern = p.one([`{self.${text}} ({self.${num}})`, `{self.${text}}: {self.${num}}`, `${text}={self.${text}}, ${num}={self.${num}}`, `<{self.${text}} #{self.${num}}>`]);
    return { name: p.one(['describe', 'summary', '__str__', '__repr__', 'label_text']), params: 'self', doc: 'A short description of this object.', body: [`return f"${pattern}"`], returns: 'str' };
  },
  list_comprehension: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const factor = p.fresh(['factor', 'scale', 'k', 'ratio'], [xs, x]);
    return { name: `scale_${xs}`, params: `${xs}, ${factor}=${p.int(2, 9)}`, doc: `Multiply each of the ${xs} by ${factor}.`, body: [`return [${x} * ${factor} for ${x} in ${xs}]`] };
  },
  filtered_comprehension: (p) => {
    const [xs, x] = p.one(NUMBER_PAIRS);
    const op = p.one(COMPARISONS);
    const lim = p.fresh(LIMITS, [xs, x]);
    return { name: `select_${xs}`, params: `${xs}, ${lim}`, doc: `The ${xs} ${COMPARISON_WORDS[op]} ${lim}.`, body: [`${p.one(['chosen', 'picked', 'result'])} = [${x} for ${x} in ${xs} if ${x} ${op} ${lim}]`, `return ${'CHOSEN'}`] };
  },
  dict_comprehension: (p) => {
    const [ws, w] = p.one(TEXT_PAIRS);
    const [f, value] = p.one([['len', `len(${w})`], ['upper', `${w}.upper()`], ['lower', `${w}.lower()`], ['first', `${w}[0]`], ['count', `${ws}.count(${w})`], ['hash', `hash(${w})`]] as const);
    return { name: `${ws}_by_${f}`, params: ws, doc: `Map each of the ${ws} to its ${f}.`, body: [`return {${w}: ${value} for ${w} in ${ws}}`], returns: 'dict' };
  },
  default_greeting: (p) => {
    const [name, g] = [p.one(['name', 'user', 'person', 'who', 'guest']), p.one(['greeting', 'salutation', 'word', 'opener'])];
    const word = p.one(['Hello', 'Hi', 'Welcome', 'Good morning', 'Hey', 'Dear']);
    const end = p.one(['!', '.', '', '?']);
    return { name: p.one(['greet', 'welcome', 'say_hello', 'greeting_for']), params: `${name}, ${g}="${word}"`, doc: `Greet ${name}.`, body: [`return f"{${g}}, {${name}}${end}"`], returns: 'str' };
  },
  default_none_list: (p) => {
    const [item, target] = [p.one(['item', 'value', 'entry', 'record', 'element', 'x']), p.one(['target', 'bucket', 'into', 'acc', 'seen', 'out'])];
    const [kind, empty, add] = p.one([['list', '[]', 'append'], ['set', 'set()', 'add']] as const);
    return { name: p.one(['append', 'add', 'collect', 'push']) + `_${item}`, params: `${item}, ${target}=None`, doc: `Add ${item} to ${target}, a new ${kind} by default.`, body: [`if ${target} is None:`, `    ${target} = ${empty}`, `${target}.${add}(${item})`, `return ${target}`], returns: kind };
  },
  pair_sum: (p) => {
    const [a, b, t] = [p.one(['a', 'x', 'left', 'i']), p.one(['b', 'y', 'right', 'j']), p.one(['target', 'goal', 'total', 'wanted'])];
    const [as, bs] = p.one([['xs', 'ys'], ['firsts', 'seconds'], ['lefts', 'rights'], ['row', 'column']] as const);
    const [op, word] = p.one([['+', 'adding up to'], ['*', 'multiplying to'], ['-', 'differing by']] as const);
    return { name: p.one(['find_pair', 'pair_with', 'two_sum', 'matching_pair']), params: `${as}, ${bs}, ${t}`, doc: `A pair from ${as} and ${bs} ${word} ${t}.`, body: [`for ${a} in ${as}:`, `    for ${b} in ${bs}:`, `        if ${a} ${op} ${b} == ${t}:`, `            return ${p.one([`(${a}, ${b})`, `${a}, ${b}`, `[${a}, ${b}]`])}`, 'return None'] };
  },
  join_transformed: (p) => {
    const [ws, w] = p.one(TEXT_PAIRS);
    const [parts, m, sep] = [p.one(['parts', 'pieces', 'out']), p.one(STRING_METHODS), p.one(['" "', '", "', '"-"', '""'])];
    return { name: `join_${ws}`, params: ws, doc: `Join the ${ws} after ${m}().`, body: [`${parts} = []`, `for ${w} in ${ws}:`, `    ${parts}.append(${w}.${m}())`, `return ${sep}.join(${parts})`] };
  },
  average: (p) => {
    const [xs] = p.one(NUMBER_PAIRS);
    const empty = p.one(['0', '0.0', 'None']);
    return { name: p.one(['average', 'mean', 'avg']) + `_${xs}`, params: xs, doc: `The mean of the ${xs}, ${empty} when empty.`, body: [p.chance(0.5) ? `if len(${xs}) == 0:` : `if not ${xs}:`, `    return ${empty}`, `return sum(${xs}) / len(${xs})`] };
  },
  clamp: (p) => {
    const [x, lo, hi] = [p.one(['x', 'value', 'n', 'level', 'speed', 'volume']), p.one(['low', 'lo', 'lower', 'minimum', 'floor']), p.one(['high', 'hi', 'upper', 'maximum', 'ceiling'])];
    return { name: p.one(['clamp', 'bound', 'limit_to', 'clip', 'keep_in_range']), params: `${x}, ${lo}, ${hi}`, doc: `Keep ${x} between ${lo} and ${hi}.`, body: [`if ${x} < ${lo}:`, `    return ${lo}`, `elif ${x} > ${hi}:`, `    return ${hi}`, 'else:', `    return ${x}`] };
  },
  reverse_copy: (p) => {
    const [xs] = p.one(ANY_PAIRS);
    const [out, i] = [p.one(['result', 'backwards', 'out']), p.one(['i', 'j', 'k'])];
    return { name: `reversed_${xs}`, params: xs, doc: `A reversed copy of ${xs}.`, body: [`${out} = []`, `for ${i} in range(len(${xs}) - 1, -1, -1):`, `    ${out}.append(${xs}[${i}])`, `return ${out}`] };
  },
  fibonacci: (p) => {
    const n = p.one(['n', 'count', 'steps', 'k', 'index']);
    const [a, b] = p.one([['a', 'b'], ['prev', 'curr'], ['x', 'y'], ['first', 'second'], ['lo', 'hi']] as const);
    const i = p.one(['_', 'i', 'step']);
    return { name: p.one(['fibonacci', 'fib', 'nth_fibonacci', 'fib_number']), params: n, doc: `The ${n}-th Fibonacci number.`, body: [`${a}, ${b} = 0, 1`, `for ${i} in range(${n}):`, `    ${a}, ${b} = ${b}, ${a} + ${b}`, `return ${a}`], returns: 'int' };
  },
  is_prime: (p) => {
    const [n, d] = [p.one(['n', 'number', 'candidate']), p.one(['i', 'd', 'divisor'])];
    const stop = p.one([n, `int(${n} ** 0.5) + 1`, `${n} // 2 + 1`]);
    return { name: p.one(['is_prime', 'prime', 'check_prime', 'looks_prime']), params: n, doc: `Whether ${n} is a prime number.`, body: [`if ${n} < 2:`, '    return False', `for ${d} in range(2, ${stop}):`, `    if ${n} % ${d} == 0:`, '        return False', 'return True'], returns: 'bool' };
  },
  zip_mismatches: (p) => {
    const [a, b, c] = [p.one(['x', 'left', 'got', 'first', 'mine']), p.one(['y', 'right', 'expected', 'second', 'theirs']), p.one(COUNTERS)];
    return { name: p.one(['count_differences', 'mismatches', 'hamming', 'diff_count', 'distance']), params: `${a}s, ${b}s`, doc: 'Count the positions where the two sequences differ.', body: [`${c} = 0`, `for ${a}, ${b} in zip(${a}s, ${b}s):`, `    if ${a} != ${b}:`, `        ${c} += 1`, `return ${c}`] };
  },
  enumerate_find: (p) => {
    const [xs, x] = p.one(ANY_PAIRS);
    const [i, target] = [p.one(['i', 'index', 'pos']), p.fresh(['target', 'wanted', 'key_value'], [xs, x])];
    return { name: `position_of_${x}`, params: `${xs}, ${target}`, doc: `The first position of ${target}, or None.`, body: [`for ${i}, ${x} in enumerate(${xs}):`, `    if ${x} == ${target}:`, `        return ${i}`, 'return None'] };
  },
  count_digits: (p) => {
    const [text, ch, c] = [p.one(['text', 'line', 's', 'word']), p.one(['ch', 'c', 'char']), p.one(COUNTERS)];
    const test = p.one(['isdigit', 'isalpha', 'isupper', 'isspace']);
    return { name: `count_${test.slice(2)}`, params: text, doc: `Count the characters of ${text} for which ${test}() is true.`, body: [`${c} = 0`, `for ${ch} in ${text}:`, `    if ${ch}.${test}():`, `        ${c} += 1`, `return ${c}`] };
  },
  group_by_first: (p) => {
    const [ws, w] = p.one(TEXT_PAIRS);
    const [groups, key] = [p.one(['groups', 'buckets', 'by_key', 'index']), p.one(['first', 'initial', 'letter', 'group_key'])];
    const [what, expr] = p.one([['first letter', `${w}[0]`], ['length', `len(${w})`], ['last letter', `${w}[-1]`], ['lower case', `${w}.lower()`]] as const);
    return { name: `group_${ws}`, params: ws, doc: `Group the ${ws} by their ${what}.`, body: [`${groups} = {}`, `for ${w} in ${ws}:`, `    ${key} = ${expr}`, `    if ${key} not in ${groups}:`, `        ${groups}[${key}] = []`, `    ${groups}[${key}].append(${w})`, `return ${groups}`] };
  },
  validate_raise: (p) => {
    const [x, lim] = [p.one(['value', 'size', 'n', 'amount']), p.int(1, 100)];
    const err = p.one(EXCEPTIONS.slice(0, 2));
    return { name: `check_${x}`, params: x, doc: `Raise ${err} unless ${x} is between 0 and ${lim}.`, body: [`if ${x} < 0 or ${x} > ${lim}:`, `    raise ${err}("${x} out of range")`, `return ${x}`] };
  },
};

/** The template names, in a fixed order. */
export const TEMPLATE_NAMES: readonly string[] = Object.keys(TEMPLATES);

/** One function from a generator. */
function generateFunction(rng: Rng, options: GeneratorOptions = {}, index = 0): GeneratedFunction {
  const p = new Picker(rng);
  const template = p.one(TEMPLATE_NAMES);
  const draft = TEMPLATES[template]!(p);
  const classic = { name: draft.name, text: render(draft, p, options), template, index };
  if ((options.modern ?? 0) <= 0) return classic;
  // Drawn after the classic function, so the classic stream is the same with or without modern forms.
  const m = new Rng(rng.nextSeed());
  if (m.next() >= options.modern!) return classic;
  if (m.next() < MODERN_TEMPLATE_SHARE) {
    const modern = modernTemplateFunction(m);
    return { name: modern.name, text: modern.text, template: `modern:${modern.template}`, index };
  }
  return { ...classic, text: modernize(classic.text, m, { hints: generatedHints(draft.params) }).text };
}

/** Function i of the sequence for a seed: made by a generator seeded from (seed, i) alone. */
export function generateFunctionAt(seed: number, index: number, options: GeneratorOptions = {}): GeneratedFunction {
  return generateFunction(new Rng(deriveSeed(seed, `generated:${index}`)), options, index);
}

/** `count` functions; function i is made by a generator seeded from (seed, i) alone. */
export function generateFunctions(count: number, seed: number, options: GeneratorOptions = {}): GeneratedFunction[] {
  return Array.from({ length: count }, (_, i) => generateFunctionAt(seed, i, options));
}

function render(draft: Draft, p: Picker, options: GeneratorOptions): string {
  const returns = draft.returns !== undefined && p.chance(0.3) ? ` -> ${draft.returns}` : '';
  const lines = [`def ${draft.name}(${draft.params})${returns}:`];
  if (p.chance(options.docstringRate ?? 0.6)) lines.push(`    """${draft.doc}"""`);
  const body = resolvePlaceholders(draft);
  const commentAt = p.chance(options.commentRate ?? 0.1) ? p.rng.nextInt(body.length) : -1;
  body.forEach((line, i) => {
    if (i === commentAt) lines.push(`    ${/^ */.exec(line)![0]}${p.one(COMMENTS)}`);
    lines.push(`    ${line}`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Some templates name a variable in one line and use it in a later one; they write the later use
 * as an upper-case placeholder (PAIRS, N, RESULT, CHOSEN) that takes the name the earlier line got.
 */
function resolvePlaceholders(draft: Draft): string[] {
  const params = draft.params.split(',').map((s) => s.trim().split('=')[0]!);
  const assigned = draft.body.map((line) => /^\s*([a-z_][a-z_0-9]*) = /.exec(line)?.[1]).filter((n): n is string => n !== undefined);
  const firstAssigned = assigned[0] ?? params[0]!;
  const replacements: Record<string, string> = { PAIRS: params[0]!, N: firstAssigned, RESULT: assigned[0] ?? 'None', CHOSEN: firstAssigned };
  return draft.body.map((line) => line.replace(/\b(PAIRS|N|RESULT|CHOSEN)\b/g, (word) => replacements[word] ?? word));
}
