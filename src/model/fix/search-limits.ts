// The fix search's limits in one place: how much work one request may cost (windows, passes,
// parses) and how near a name must be to another to count as its typo. Each has its reason; the
// tests that show a limit at work name it (tests/model/whole-file.test.ts, edit-candidates.test.ts,
// name-check.test.ts, tests/fuzz/fuzz-cases.test.ts).

// Work per file.

/** Lines a file may have: longer ones are refused before any work (split the file). */
export const MAX_FILE_LINES = 5000;
/** Windows the model reads for one file at most: a file full of errors must not cost a look per line. */
export const MAX_LOOKS_PER_FILE = 40;
/** Windows read when nothing in the file points at a bug: a bug with no sign is the model's guess alone. */
export const MAX_LOOK_ONLY_WINDOWS = 16;
/** Candidates each edit of a file lists for the person (the ranked first ones). */
export const ALTERNATIVES_PER_EDIT = 5;

// Work per window.

/** Two syntax errors: first edits tried at the top level, each followed by a pass of its own. */
export const FIRST_PARTIAL_FIX_TRIES = 3;
/** ...and below it: only the top level tries several, so the passes stay few. */
export const LATER_PARTIAL_FIX_TRIES = 1;
/** Edits that parse no further kept as partial fixes (the furthest first): each costs a pass. */
export const MAX_PARTIAL_FIXES = 8;
/** A partial fix must move the first parse error this many lines down: one line is the same error. */
export const PARTIAL_FIX_MIN_LINES_GAINED = 2;

// Parse error edits.

/** Lines on each side of the parse error that get edits: Lezer reports an error near, not always on, the line to edit. */
export const ERROR_LINE_REACH = 2;
/** Logical lines before and after a line whose indentation levels it may take. */
export const INDENT_LINES_BEFORE = 3;
export const INDENT_LINES_AFTER = 2;
/** Tokens on each side of the error (or before a line's end) that get edits: bounds the work on a huge line. */
export const EDIT_TOKENS_PER_SIDE = 48;
/** Characters parsed for one look's candidates at most: each candidate is the whole text, parsed again. */
export const PARSE_BUDGET_CHARS = 2_000_000;
/** Candidates parsed whatever the text's length: a long text still gets the edits nearest its error. */
export const MIN_PARSED_CANDIDATES = 16;

// What counts as a typo.

/** Letters (edits, a swap counting one) a misspelled name is off by at most: more makes another word. */
export const MAX_TYPO_DISTANCE = 2;
/** Names of up to this many letters are a typo of a twin one letter off only (`cast` is no `list`). */
export const SHORT_NAME_LETTERS = 4;
export const SHORT_NAME_TYPO_DISTANCE = 1;
/** Shorter names are never suspects: a one- or two-letter name has too many twins. */
export const MIN_TYPO_NAME_LENGTH = 3;
/**
 * Confirmed name fixes whose name-channel log-odds fall in the same step of this many nats are
 * near ties, for the model to break; a wider gap is the channel's to decide (the model scores a
 * rare name copied from the text poorly whichever way it is spelled).
 */
export const CHANNEL_TIE_NATS = 1;
/** Shorter attributes are never typos: nothing binds attributes, so only their length guards them. */
export const MIN_ATTRIBUTE_TYPO_LENGTH = 4;

// Edits enumerated where the syntax check refuses a text (enumerate-edits.ts).

/** Code tokens before the error (CPython's position, and the furthest token the parser read) whose edits are tried. */
export const ENUMERATION_TOKENS_BEFORE = 8;
/** ...and after CPython's position (the parser never read past the furthest token, so edits there change nothing). */
export const ENUMERATION_TOKENS_AFTER = 1;
/** Tokens on each side of a bracket left open whose edits are tried: the error's cause is often there. */
export const ENUMERATION_OPENER_TOKENS = 3;
/** Gaps after a bracket left open where its closer is tried (`f(a, g(b)` may close after `b` or after `)`). */
export const MAX_CLOSER_GAPS = 64;
/** Names tried at one place (the text's own by count, then builtins): each that compiles is scored. */
export const MAX_NAME_CHOICES = 24;
/** The text's literals tried at one place (by count): a deleted literal comes back only when the text holds it elsewhere. */
export const MAX_LITERAL_CHOICES = 6;
/** Texts checked for one window at most (each is a parse): bounds the work on a long line full of errors. */
export const MAX_ENUMERATED_CHECKS = 6000;
/** Characters parsed for one window's enumeration at most (its statements and whole texts): a huge line makes each dear. */
export const ENUMERATION_PARSE_BUDGET_CHARS = 1_000_000;
/** Edits that compile handed to the model at most (the cheap prior picks them). */
export const MAX_ENUMERATED_CANDIDATES = 40;
/** No one edit compiles: the edits that get the parser furthest, each enumerated again (distance 2). */
export const SECOND_EDIT_STARTS = 4;
/** Texts checked for all second edits together. */
export const MAX_SECOND_EDIT_CHECKS = 6000;

// The ranking's priors (log-probability, nats, taken off a candidate's model score; FIX_TUNING in
// coding-optimizer.ts starts from these). Chosen with tools/fix-ranking-study.ts on the tune half
// of the outside sets (docs/model-quality.md#ranking-the-candidates).

/** Per token an edit changes: between near-equals, the smaller edit. */
export const EDIT_SIZE_PRIOR_NATS = 0.5;
/**
 * An enumerated edit no per-class rule proposed: a rule's candidate stays preferred (`is` beat a
 * rule's `==` by 5 nats), the enumeration decides where no rule's edit compiles. 4 ranked one or
 * two more generic lines first on the tune half, but loses that case.
 */
export const ENUMERATED_PRIOR_NATS = 8;
/** ...and per code token between an enumerated edit and the check's error. */
export const DISTANCE_PRIOR_NATS_PER_TOKEN = 0.1;
/**
 * A beam that neither a rule nor the enumeration proposed, where the text does not compile: a free
 * rewrite (`return` for `raise`, a parameter list rewritten) the model likes for its fluency, not
 * a smallest repair. Tune half, one-token slips: 27 of 56 first at 0, 29 at 12 or 16, 30 at 24
 * (and at 1000: no proposed edit within 16 nats was beaten by such a beam any more).
 */
export const UNPROPOSED_BEAM_PRIOR_NATS = 24;

// Character edits where a text does not tokenize (character-edits.ts).

/** Places on a string's line where its closing quote is tried (before each `+ , ) ] } :`): bounds a long line. */
export const MAX_STRING_CLOSE_PLACES = 24;
/** Lines after a triple-quoted string's first whose end gets its closing quotes: a docstring is seldom longer. */
export const MAX_TRIPLE_CLOSE_LINES = 40;
/** Stray characters removed or made ASCII one at a time at most: a text full of them is no slip. */
export const MAX_STRAY_CHARACTERS = 8;
