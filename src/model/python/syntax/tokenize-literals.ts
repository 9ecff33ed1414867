// The literal scanners of the tokenizer (tokenizer.c): string prefixes and bodies, and numbers with
// their errors ("invalid decimal literal", "leading zeros ...", "invalid digit '8' in octal literal").

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
export function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
/** tokenizer.c is_potential_identifier_start / _char: ASCII letters, '_', or any non-ASCII byte. */
export function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}
export function isIdChar(c: number): boolean {
  return isIdStart(c) || isDigit(c);
}

/** The offset of the quote when a string prefix (b, r, u, f and their legal mixes) starts at `pos`, else -1. */
export function stringPrefixEnd(source: string, pos: number): number {
  let b = false;
  let r = false;
  let u = false;
  let f = false;
  for (let i = pos; i < pos + 3; i++) {
    const ch = source[i];
    if (ch === '"' || ch === "'") return i > pos ? i : -1;
    const low = ch?.toLowerCase();
    if (low === 'b' && !(b || u || f)) b = true;
    else if (low === 'u' && !(b || u || r || f)) u = true;
    else if (low === 'r' && !(r || u)) r = true;
    else if (low === 'f' && !(f || b || u)) f = true;
    else return -1;
  }
  return -1;
}

/** The end of the string literal whose quote is at `pos`; when it is not closed, minus where that was found. */
export function scanString(source: string, pos: number): number {
  const quote = source.charCodeAt(pos);
  const n = source.length;
  const triple = source.charCodeAt(pos + 1) === quote && source.charCodeAt(pos + 2) === quote;
  let i = pos + (triple ? 3 : 1);
  if (!triple && source.charCodeAt(pos + 1) === quote) return pos + 2;
  let closing = 0;
  while (i < n) {
    const c = source.charCodeAt(i++);
    if (c === quote) {
      closing++;
      if (!triple || closing === 3) return i;
      continue;
    }
    closing = 0;
    if (c === 10 && !triple) return -i;
    if (c === 92) i++;
  }
  return -n;
}

/** verify_end_of_number: a keyword that may follow a number (`1if x else y`) is allowed, a name is not. */
export function endOfNumberError(source: string, pos: number, kind: string): string | null {
  // tokenizer.c lookahead(): the whole keyword, not followed by a name character (`1else` but not
  // `1elsey`); after 'i' only the next letter is looked at (`1if`, `1in`, `1is`).
  const keyword = /^(and|else|for|or|not)/.exec(source.slice(pos, pos + 4));
  if (keyword && !isIdChar(source.charCodeAt(pos + keyword[0].length))) return null;
  if (/^i[fns]/.test(source.slice(pos, pos + 2))) return null;
  // Only ASCII name characters make the literal invalid; a non-ASCII one is a token of its own.
  const c = source.charCodeAt(pos);
  if (c < 128 && isIdChar(c)) return `${pos}:invalid ${kind} literal`;
  return null;
}

/** Scans a number at `pos`: its end, or "offset:message" for a malformed literal. */
export function scanNumber(source: string, pos: number): number | string {
  const start = pos;
  const at = (i: number): number => source.charCodeAt(i);
  const decimalTail = (i: number): number | string => {
    for (;;) {
      while (isDigit(at(i))) i++;
      if (at(i) !== 95) return i;
      i++;
      if (!isDigit(at(i))) return `${i}:invalid decimal literal`;
    }
  };
  const exponentAndImaginary = (i: number): number | string => {
    let c = at(i);
    if (c === 101 || c === 69) {
      const e = i;
      i++;
      c = at(i);
      if (c === 43 || c === 45) {
        i++;
        if (!isDigit(at(i))) return `${i}:invalid decimal literal`;
      } else if (!isDigit(c)) {
        return endOfNumberError(source, e, 'decimal') ?? e;
      }
      const tail = decimalTail(i);
      if (typeof tail === 'string') return tail;
      i = tail;
      c = at(i);
    }
    if (c === 106 || c === 74) return endOfNumberError(source, i + 1, 'imaginary') ?? i + 1;
    return endOfNumberError(source, i, 'decimal') ?? i;
  };
  const fraction = (i: number): number | string => {
    if (isDigit(at(i))) {
      const tail = decimalTail(i);
      if (typeof tail === 'string') return tail;
      i = tail;
    }
    return exponentAndImaginary(i);
  };
  if (at(pos) === 46) return fraction(pos + 1);
  if (at(pos) === 48) {
    const marker = at(pos + 1) | 32;
    if (marker === 120 || marker === 111 || marker === 98) {
      const kind = marker === 120 ? 'hexadecimal' : marker === 111 ? 'octal' : 'binary';
      const ok =
        marker === 120
          ? isHexDigit
          : marker === 111
            ? (c: number) => c >= 48 && c < 56
            : (c: number) => c === 48 || c === 49;
      let i = pos + 2;
      do {
        if (at(i) === 95) i++;
        if (!ok(at(i))) {
          if (kind !== 'hexadecimal' && isDigit(at(i))) return `${i}:invalid digit '${source[i]}' in ${kind} literal`;
          return `${i}:invalid ${kind} literal`;
        }
        while (ok(at(i))) i++;
      } while (at(i) === 95);
      if (kind !== 'hexadecimal' && isDigit(at(i))) return `${i}:invalid digit '${source[i]}' in ${kind} literal`;
      return endOfNumberError(source, i, kind) ?? i;
    }
    let i = pos + 1;
    for (;;) {
      if (at(i) === 95) {
        i++;
        if (!isDigit(at(i))) return `${i}:invalid decimal literal`;
      }
      if (at(i) !== 48) break;
      i++;
    }
    let nonZero = false;
    if (isDigit(at(i))) {
      nonZero = true;
      const tail = decimalTail(i);
      if (typeof tail === 'string') return tail;
      i = tail;
    }
    const c = at(i);
    if (c === 46) return fraction(i + 1);
    if (c === 101 || c === 69 || c === 106 || c === 74) return exponentAndImaginary(i);
    if (nonZero)
      return `${start}:leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers`;
    return endOfNumberError(source, i, 'decimal') ?? i;
  }
  const tail = decimalTail(pos);
  if (typeof tail === 'string') return tail;
  if (at(tail) === 46) return fraction(tail + 1);
  return exponentAndImaginary(tail);
}
