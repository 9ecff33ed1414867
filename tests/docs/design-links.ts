// References to docs/design.md's headings (`docs/design.md#model-files`, `design.md#parity` from
// another docs page, `(#metrics)` inside design.md itself) and the anchors GitHub gives its headings.
import type { TextFile } from './repository-text';

export const DESIGN_PAGE = 'docs/design.md';

export interface DesignReference {
  path: string;
  line: number;
  anchor: string;
}

/**
 * The anchor GitHub gives a heading: its rendered text lower-cased, every character that is not a
 * letter, digit, space, hyphen or underscore dropped, spaces turned into hyphens.
 */
export function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link reads as its text
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown page's headings, in order; a repeated slug gets `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): string[] {
  const anchors: string[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = githubSlug(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.push(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Every reference to a heading of the design page in `file`. */
export function designReferences(file: TextFile): DesignReference[] {
  const refs: DesignReference[] = [];
  const patterns = [/\bdesign\.md#([\w-]+)/g];
  // Inside the design page, its own headings are linked as `(#anchor)`.
  if (file.path === DESIGN_PAGE) patterns.push(/\]\(#([\w-]+)\)/g);
  file.text.split('\n').forEach((text, i) => {
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) refs.push({ path: file.path, line: i + 1, anchor: match[1]! });
  });
  return refs;
}

/** The references among `files` whose anchor is not a heading of the design page. */
export function brokenReferences(files: readonly TextFile[], anchors: readonly string[]): DesignReference[] {
  const known = new Set(anchors);
  return files.flatMap(designReferences).filter((ref) => !known.has(ref.anchor));
}
