// Fills the grammar table (grammar.ts) with every rule file's rules. `satisfies Grammar` makes the
// compiler check that each rule the files call through the table is registered, with its type.
// Whoever parses imports `grammar` from here, so the table is full before the first parse.
import { g, type Grammar } from './grammar';
import { argRules } from './parse-args';
import { atomRules } from './parse-atoms';
import { compoundRules } from './parse-compound';
import { exprRules } from './parse-expr';
import { invalidRules } from './parse-invalid';
import { invalidBlockRules } from './parse-invalid-blocks';
import { matchRules } from './parse-match';
import { paramRules } from './parse-params';
import { stmtRules } from './parse-stmt';
import { targetRules } from './parse-targets';

export const grammar: Grammar = Object.assign(g, {
  ...exprRules,
  ...atomRules,
  ...argRules,
  ...targetRules,
  ...paramRules,
  ...stmtRules,
  ...compoundRules,
  ...matchRules,
  ...invalidRules,
  ...invalidBlockRules,
} satisfies Grammar);
