// Modern forms for the procedural generator: the known types of a generated function's names (so the
// modernizer's annotations are right, not guessed), and templates that only exist in modern code
// (`async def` with `await`, walrus loops, f-strings with format specs, `X | None` lookups,
// properties, keyword-only options). Types are written in the builtin style and respelled per
// function in one of the modernizer's styles.

import type { Rng } from '../model';
import { spellType, TYPE_STYLES, type TypeStyle } from './modernize';

const one = <T>(rng: Rng, pool: readonly T[]): T => pool[rng.nextInt(pool.length)]!;

type ModernTemplate = (rng: Rng, t: (type: string) => string) => { name: string; lines: string[] };

const MODERN_TEMPLATES: Record<string, ModernTemplate> = {
  async_fetch: (rng, t) => {
    const [client, url, what] = [one(rng, ['session', 'client', 'http']), one(rng, ['url', 'endpoint', 'path']), one(rng, ['user', 'item', 'page', 'order', 'report'])];
    const timeout = one(rng, ['10.0', '5', '30.0', '2.5']);
    return { name: `fetch_${what}`, lines: [
      `async def fetch_${what}(${client}: ${one(rng, ['ClientSession', 'AsyncClient', 'Session'])}, ${url}: str, *, timeout: float = ${timeout}) -> ${t(one(rng, ['dict[str, Any]', 'Optional[dict[str, Any]]', 'list[dict[str, Any]]']))}:`,
      `    """Fetch one ${what} from ${url}."""`,
      `    response = await ${client}.get(${url}, timeout=timeout)`,
      ...(rng.next() < 0.5 ? ['    response.raise_for_status()'] : [`    if response.status != 200:`, `        raise ${one(rng, ['RuntimeError', 'ValueError', 'LookupError'])}(f"${what} {${url}!r}: {response.status}")`]),
      `    return await response.json()`,
    ] };
  },
  walrus_read: (rng, t) => {
    const [stream, chunk, size, out] = [one(rng, ['stream', 'f', 'source', 'reader']), one(rng, ['chunk', 'block', 'data', 'piece']), one(rng, ['size', 'chunk_size', 'block_size']), one(rng, ['chunks', 'blocks', 'parts'])];
    const binary = rng.next() < 0.5;
    return { name: `read_${out}`, lines: [
      `def read_${out}(${stream}: ${binary ? 'BinaryIO' : 'TextIO'}, ${size}: int = ${one(rng, ['1024', '4096', '65536'])}) -> ${t(binary ? 'list[bytes]' : 'list[str]')}:`,
      `    ${out}${rng.next() < 0.5 ? `: ${t(binary ? 'list[bytes]' : 'list[str]')}` : ''} = []`,
      `    while (${chunk} := ${stream}.read(${size})):`,
      `        ${out}.append(${chunk})`,
      `    return ${out}`,
    ] };
  },
  formatted_row: (rng, t) => {
    const [name, count, price] = [one(rng, ['name', 'label', 'title', 'product']), one(rng, ['count', 'qty', 'quantity', 'n']), one(rng, ['price', 'cost', 'total', 'amount'])];
    const width = one(rng, ['10', '12', '20', '<15', '>8']);
    const fn = `format_${one(rng, ['row', 'line', 'entry', 'item'])}`;
    return { name: fn, lines: [
      `def ${fn}(${name}: str, ${count}: int, ${price}: float${rng.next() < 0.5 ? `, *, currency: str = "${one(rng, ['$', 'EUR', '£'])}"` : ''}) -> ${t('str')}:`,
      `    return f"{${name}:${width}} {${count}:>4d} {${price}:.2f}"`,
    ] };
  },
  optional_lookup: (rng, t) => {
    const [table, key, value] = [one(rng, ['users', 'items', 'cache', 'registry', 'index']), one(rng, ['name', 'key', 'user_id', 'ident']), one(rng, ['user', 'item', 'entry', 'record'])];
    const type = one(rng, ['User', 'Item', 'Record', 'str', 'int']);
    return { name: `find_${value}`, lines: [
      `def find_${value}(${table}: ${t(`dict[str, ${type}]`)}, ${key}: str, default: ${t(`Optional[${type}]`)} = None) -> ${t(`Optional[${type}]`)}:`,
      `    if (${value} := ${table}.get(${key})) is None:`,
      `        return default`,
      `    return ${value}`,
    ] };
  },
  property_name: (rng, t) => {
    const [first, second] = one(rng, [['first', 'last'], ['given', 'family'], ['host', 'port'], ['name', 'version']] as const);
    const fn = one(rng, ['full_name', 'display', 'label', 'address', 'key']);
    return { name: fn, lines: [
      '@property',
      `def ${fn}(self) -> ${t('str')}:`,
      `    return f"{self.${first}}${one(rng, [' ', ':', '-', '/'])}{self.${second}}"`,
    ] };
  },
  typed_counts: (rng, t) => {
    const [ws, w, counts] = [one(rng, ['words', 'tokens', 'names', 'tags']), one(rng, ['word', 'token', 'name', 'tag']), one(rng, ['counts', 'freq', 'tally'])];
    return { name: `count_${ws}`, lines: [
      `def count_${ws}(${ws}: ${t(one(rng, ['list[str]', 'Iterable[str]', 'Sequence[str]']))}, *, lower: bool = False) -> ${t('dict[str, int]')}:`,
      `    ${counts}: ${t('dict[str, int]')} = {}`,
      `    for ${w} in ${ws}:`,
      `        ${w} = ${w}.lower() if lower else ${w}`,
      `        ${counts}[${w}] = ${counts}.get(${w}, 0) + 1`,
      `    return ${counts}`,
    ] };
  },
};

const MODERN_TEMPLATE_NAMES: readonly string[] = Object.keys(MODERN_TEMPLATES);

/** One function of a modern-only template, in a type style drawn by rng. */
export function modernTemplateFunction(rng: Rng, style: TypeStyle = TYPE_STYLES[rng.nextInt(TYPE_STYLES.length)]!): { name: string; template: string; text: string } {
  const template = one(rng, MODERN_TEMPLATE_NAMES);
  const { name, lines } = MODERN_TEMPLATES[template]!(rng, (type) => spellType(type, style));
  return { name, template, text: `${lines.join('\n')}\n` };
}

/** Element types of the generator's collection pools: plural names hold lists of these. */
const NUMBER_WORDS = /^(values?|numbers?|scores?|prices?|nums?|n|xs?|counts?|sizes?|weights?|ages?|amounts?|totals?|subtotal|readings?|marks?)$/;
const TEXT_WORDS = /^(words?|names?|lines?|tokens?|labels?|keys?|tags?|titles?|paths?|codes?|text|raw|s|word|line)$/;

/** Known types of a generated function's parameters, from the generator's name pools. */
export function generatedHints(params: string): Record<string, string> {
  const hints: Record<string, string> = {};
  for (const part of params.split(',').map((p) => p.trim())) {
    const [name, value] = part.split('=') as [string, string | undefined];
    if (name === 'self' || name === '') continue;
    const plural = name.endsWith('s') && name !== 's';
    let type: string | undefined;
    if (NUMBER_WORDS.test(name)) type = plural ? 'list[int]' : 'int';
    else if (TEXT_WORDS.test(name)) type = plural ? 'list[str]' : 'str';
    else if (/^(limit|threshold|target|bound|cutoff|minimum|pivot|low|lo|lower|high|hi|upper|maximum|floor|ceiling|factor|scale|k|ratio)$/.test(name)) type = 'int';
    else if (/^(mapping|table|config|options|settings|cache|registry)$/.test(name)) type = 'dict[str, Any]';
    if (type !== undefined && value !== undefined && value.trim() === 'None') type = `Optional[${type}]`;
    if (type !== undefined) hints[name] = type;
  }
  return hints;
}
