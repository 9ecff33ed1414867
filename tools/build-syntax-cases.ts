// Writes tests/fixtures/syntax-cases.json: labelled cases for the syntax check's unit test, each
// text with what Python's compile() says of it, so the unit run needs no Python.
//
//   npx tsx tools/build-syntax-cases.ts [--source DIR]   (default: python3's standard library)
//
// The cases: a seeded sample of a critic-diff corpus (real functions and their token mutations),
// more of that corpus for each of Python's messages (so rare ones are there), and the hand-written
// texts below, one or more per message the check is to give and per compile-time rule.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { deriveSeed, Rng } from '../src/model';
import { buildSyntaxCorpus, isListedMessage, LISTED_SYNTAX_MESSAGES, messageKey } from '../src/data/syntax-corpus';
import { readFunctions } from '../src/cli/critic-diff';
import { pythonStdlib } from '../src/cli/dataset';
import { compileWithPython, pythonInterpreter } from '../src/cli/python-compile';

const OUT = resolve(import.meta.dirname, '../tests/fixtures/syntax-cases.json');
const SEED = 7;
const CORPUS_TEXTS = 6000;
/** Cases drawn from the corpus at random. */
const SAMPLED = 220;
/** More cases per Python message, beyond the sample. */
const PER_MESSAGE = 6;
/** The repository cites no numbered issue, session or section (a check greps for them): such texts stay out. */
const NUMBERED_REFERENCE = /\b(issue|session|section) #?\d/i;

/** Texts a person could type, one or more per message and per rule of the compiler. */
export const HAND_WRITTEN: readonly string[] = [
  // The messages the check is to give in Python's words.
  'def f(x)\n    return x\n',
  'def f(x):\n    return g(x\n',
  'def f(x):\n    return [x, (1, 2]\n',
  'def f(x):\n    return x)\n',
  'def f(x):\n    return [x y]\n',
  'def f(e):\n    print e\n',
  'def f(a):\n    a + 1 = 2\n',
  'def f(x, y):\n    return g(x=1, y)\n',
  'class C:\n    return 1\n',
  'def f():\n    break\n',
  'def f():\n    await g()\n',
  'def f(x):\n    if x:\n    return x\n',
  'def f(xs):\n    for x in xs:\n    print(x)\n',
  'def f(x):\n    y = x\n        return y\n',
  'def f(x):\n    if x:\n        y = 1\n      return y\n',
  'def f(x):\n    if x:\n        y = 1\n\ty = 2\n    return y\n',
  'def f(x):\n    return x x\n',
  // Python 2 forms and other things a lenient parser lets through.
  'def f(a):\n    return a <> 1\n',
  'def f():\n    x = 0777\n    return x\n',
  'def f():\n    raise E, "m"\n',
  'def f():\n    del f()\n',
  'def f():\n    nonlocal q\n',
  'def f(x):\n    exec "x = 1"\n',
  'def f(x):\n    return `x`\n',
  'def f():\n    return 10L\n',
  // Targets of assignment, deletion and augmented assignment.
  'def f(x):\n    f() = x\n',
  'def f(x):\n    (a, b) += x\n',
  'def f(x):\n    del x + 1\n',
  'def f(x):\n    None = x\n',
  'def f(x):\n    [a, *b, *c] = x\n',
  'def f(x):\n    *a = x\n',
  'def f(x):\n    for x() in y:\n        pass\n',
  'def f(x):\n    with x as 1:\n        pass\n',
  'def f(x):\n    (x for x in y) = 1\n',
  'def f(x):\n    x.y += 1\n    x[0] -= 1\n    return x\n',
  // Parameters and arguments.
  'def f(a=1, b):\n    return a\n',
  'def f(a, a):\n    return a\n',
  'def f(x):\n    return g(a=1, a=2)\n',
  'def f(x):\n    return g(**x, *y)\n',
  'def f(*, **k):\n    return k\n',
  'def f(x):\n    return g(x for x in y, 1)\n',
  'def f(a, /, b, *, c):\n    return a + b + c\n',
  // Placement of return, yield, await, break and continue.
  'def f():\n    continue\n',
  'return 1\n',
  'yield 1\n',
  'class C:\n    x = yield\n',
  'async def f():\n    yield 1\n    return 2\n',
  'def f():\n    return [await x for x in y]\n',
  'async def f():\n    return [await x for x in y]\n',
  'def f(xs):\n    for x in xs:\n        def g():\n            break\n',
  'def f():\n    while True:\n        try:\n            pass\n        finally:\n            continue\n',
  'def f():\n    lambda: (yield)\n    return 1\n',
  'def f():\n    async with a:\n        pass\n',
  // global and nonlocal.
  'def f(x):\n    global x\n',
  'def f():\n    x = 1\n    global x\n',
  'def f():\n    print(x)\n    global x\n',
  'nonlocal x\n',
  'def f():\n    x = 1\n    def g():\n        nonlocal x\n        x = 2\n    return g\n',
  'def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n',
  // Starred expressions.
  'def f(x):\n    return *x\n',
  'def f(x):\n    return *x, 1\n',
  'def f(x):\n    print(*x, **x)\n',
  'def f(x):\n    y = **x\n',
  // f-strings.
  'def f(x):\n    return f"{}"\n',
  'def f(x):\n    return f"{x!z}"\n',
  'def f(x):\n    return f"{x"\n',
  'def f(x):\n    return f"{x:{y}}" + f"{x=}"\n',
  'def f(x):\n    return f"{x}}"\n',
  // The text itself.
  '\ufeffdef f(x):\n    return x\n',
  'def f(x):\r    return x\r',
  'def f(x):\r\n    return x\r\n',
  'def f(x):\n\f    return x\n',
  'def f(x):\n    return x\n\f\n',
  'def f(é):\n    return é\n',
  'def f(x€):\n    return x\n',
  '# -*- coding: latin-1 -*-\ndef f(x):\n    return x\n',
  'def f(x):\n    return "a\u0000b"\n',
  'def f(x):\n    return x\u0000\n',
  'def f(x):\n    return x \\\n',
  'def f(x):\n    return 1_000 + 0x_f + 1__0\n',
  'def f(x):\n    return 1if x else 2\n',
  'def f(x):\n    return 0b12\n',
  'def f(x):\n    return "abc\n',
  'def f(x):\n    return """abc\n',
  'def f(x):\n    return u"x" + rb"y" + ur"z"\n',
  // Soft keywords and newer statements.
  'def f(x):\n    match x:\n        case [a, *rest]:\n            return a\n        case _:\n            return None\n',
  'def f(x):\n    match x:\n        case 1 + y:\n            pass\n',
  'def f(x):\n    try:\n        pass\n    except* ValueError:\n        pass\n',
  'def f(x):\n    if (y := x) > 1:\n        return y\n',
  'def f(x):\n    y := x\n',
  'def f(x):\n    try:\n        pass\n',
  'def f(x):\n    else:\n        pass\n',
  // `from __future__` imports: future.c's leading run and the compiler's late-import rule.
  'import os; from __future__ import annotations\n',
  'from __future__ import annotations; import os; from __future__ import division\n',
  '"""Doc."""\nfrom __future__ import annotations\n',
  '"""Doc."""\n"""Two."""\nfrom __future__ import annotations\n',
  'from __future__ import braces\n',
  'from __future__ import (annotations, nope)\n',
  'from __future__ import annotations as a\n',
  'x = 1\nfrom __future__ import annotations\n',
  'def f():\n    from __future__ import annotations\n',
  'nonlocal x\nfrom __future__ import nope\n',
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { source: { type: 'string' } } });
  const python = pythonInterpreter();
  const source = resolve(values.source ?? pythonStdlib(python));
  const corpus = buildSyntaxCorpus(readFunctions([source]), { n: CORPUS_TEXTS, seed: SEED });
  const { python: version, labels } = compileWithPython(
    corpus.map((item) => item.text),
    python,
  );

  // A seeded sample, then up to PER_MESSAGE more of each Python message the sample has too few of.
  const rng = new Rng(deriveSeed(SEED, 'syntax-cases'));
  const order = corpus.map((_, i) => i).filter((i) => !NUMBERED_REFERENCE.test(corpus[i]!.text));
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = new Set(order.slice(0, SAMPLED));
  const perMessage = new Map<string, number>();
  for (const i of chosen) {
    const key = labels[i]!.ok ? 'ok' : messageKey(labels[i]!.message);
    perMessage.set(key, (perMessage.get(key) ?? 0) + 1);
  }
  for (const i of order.slice(SAMPLED)) {
    if (labels[i]!.ok) continue;
    const key = messageKey(labels[i]!.message);
    if ((perMessage.get(key) ?? 0) >= PER_MESSAGE) continue;
    perMessage.set(key, (perMessage.get(key) ?? 0) + 1);
    chosen.add(i);
  }

  const hand = compileWithPython(HAND_WRITTEN, python).labels;
  const cases = [
    ...[...chosen]
      .sort((a, b) => a - b)
      .map((i) => ({ text: corpus[i]!.text, kind: corpus[i]!.kind, origin: corpus[i]!.source, cpython: labels[i]! })),
    ...HAND_WRITTEN.map((text, i) => ({ text, kind: 'hand-written', origin: 'hand-written', cpython: hand[i]! })),
  ];
  const missing = LISTED_SYNTAX_MESSAGES.filter((pattern) => !cases.some((c) => pattern.test(c.cpython.message ?? '')));
  if (missing.length > 0) throw new Error(`no case for ${missing.join(', ')}: add hand-written ones`);

  const fixture = {
    about:
      "Texts with what Python's compile() says of them (ok, or line, column and message): real functions of the " +
      'standard library, their token mutations (src/data/mutate.ts) and hand-written texts. Written by ' +
      'tools/build-syntax-cases.ts; tests/cli/syntax-cases-python.test.ts checks every label against python3 again.',
    python: version,
    listed_cases: cases.filter((c) => isListedMessage(c.cpython.message)).length,
    cases,
  };
  const config = (await prettier.resolveConfig(OUT)) ?? {};
  writeFileSync(OUT, await prettier.format(JSON.stringify(fixture), { ...config, parser: 'json' }));
  process.stdout.write(`wrote ${OUT}: ${cases.length} cases (Python ${version}, from ${source})\n`);
}

await main();
