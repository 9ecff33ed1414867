// Typo tables for the bug injectors: common misspellings of keywords (None, True and False
// included), the builtins and methods whose single use can be misspelled, and the letter edits
// that make a misspelled name (transposed, dropped or doubled letters).

import type { Rng } from '../model';
import { isKeyword, VALUE_KEYWORDS, CORE_NAMES } from '../model/internals';

function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.nextInt(items.length)];
}

/** Common typos per keyword; none is a keyword, and each is checked against the function's names. */
export const KEYWORD_MISSPELLINGS: Readonly<Record<string, readonly string[]>> = {
  return: ['retrun', 'reutrn', 'retur', 'returm', 'rerturn'],
  while: ['whlie', 'wihle', 'whiel', 'whille'],
  def: ['dfe', 'deff', 'fed'],
  for: ['fro', 'ofr', 'forr'],
  if: ['fi', 'iff'],
  else: ['esle', 'els', 'elsee', 'ese'],
  elif: ['elfi', 'eilf', 'elsif', 'elseif'],
  import: ['improt', 'imoprt', 'inport', 'importt'],
  in: ['ni', 'inn', 'iin'],
  not: ['nto', 'nott', 'ont'],
  raise: ['riase', 'rasie', 'raies', 'rise'],
  except: ['excpet', 'exept', 'expect', 'excep'],
  lambda: ['lamda', 'lambada', 'lmabda'],
  yield: ['yeild', 'yiled', 'yied'],
  assert: ['asert', 'assret', 'asssert'],
  await: ['awiat', 'awit', 'wait'],
  with: ['wiht', 'whit', 'wtih'],
  try: ['tyr', 'rty', 'tr'],
  async: ['asnyc', 'aysnc', 'asyc'],
  // Value keywords: their typos are names bound nowhere, so they stay valid syntax but fail at run time.
  None: ['Noen', 'Nnoe', 'none', 'NOne', 'Non', 'Nne'],
  True: ['Ture', 'Treu', 'true', 'TRue', 'Tru', 'Trye'],
  False: ['Flase', 'Fasle', 'false', 'FAlse', 'Fales', 'Fals'],
};

/** The keywords that are values: a typo of one is an undefined name wherever it stands. */
export const VALUE_KEYWORD_TYPOS = new Set(VALUE_KEYWORDS.flatMap((k) => KEYWORD_MISSPELLINGS[k]!));

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CORE_NAME_SET = new Set(CORE_NAMES);

/** Transposition of two different adjacent letters, a dropped letter or a doubled one. */
export function misspell(name: string, rng: Rng, avoid: ReadonlySet<string>): string | undefined {
  const options = new Set<string>();
  for (let i = 0; i + 1 < name.length; i++) {
    if (name[i] !== name[i + 1]) options.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
  }
  for (let i = 0; i < name.length; i++) {
    options.add(name.slice(0, i) + name.slice(i + 1));
    if (/[a-z]/i.test(name[i]!)) options.add(name.slice(0, i + 1) + name[i] + name.slice(i + 1));
  }
  const valid = [...options].filter((w) => w !== name && IDENTIFIER.test(w) && !isKeyword(w) && !avoid.has(w) && !CORE_NAME_SET.has(w));
  return pick(rng, valid.sort());
}

/** Builtins and exceptions: misspelled once, they are names bound nowhere. */
export const MISSPELLABLE_BUILTINS = new Set(CORE_NAMES.filter((name) => name.length >= 3 && !['self', 'cls', '__init__', 'match', 'case'].includes(name)));
/** Methods everyone calls: `.apend(x)` is a typo even when the method appears once. */
export const WELL_KNOWN_METHODS = new Set([
  'append', 'extend', 'insert', 'remove', 'index', 'count', 'sort', 'reverse', 'items', 'keys', 'values', 'get', 'update',
  'setdefault', 'join', 'split', 'strip', 'rstrip', 'lstrip', 'startswith', 'endswith', 'replace', 'format', 'lower', 'upper',
  'encode', 'decode', 'read', 'write', 'close', 'readline', 'splitlines', 'isdigit', 'group', 'match', 'search',
]);

