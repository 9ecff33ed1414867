// A line diff (longest common subsequence) for showing an answer against the user's input.
// Functions are short, so the quadratic table is fine.

export type DiffRow =
  | { kind: 'same'; text: string; oldLine: number; newLine: number }
  | { kind: 'removed'; text: string; oldLine: number }
  | { kind: 'added'; text: string; newLine: number };

export function splitTextLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(before: string, after: string): DiffRow[] {
  const a = splitTextLines(before);
  const b = splitTextLines(after);
  // common[i][j]: length of the LCS of a[i..] and b[j..]
  const common = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      // Removals first when both keep the common part: a changed line reads "- old" then "+ new".
      rows.push({ kind: 'removed', text: a[i]!, oldLine: i + 1 });
      i++;
    } else {
      rows.push({ kind: 'added', text: b[j]!, newLine: j + 1 });
      j++;
    }
  }
  return rows;
}
