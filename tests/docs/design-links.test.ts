// Code and docs point at headings of docs/design.md; a renamed or dropped heading must not leave a
// dead link behind.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenReferences, DESIGN_PAGE, designReferences, githubSlug, headingAnchors } from './design-links';
import { repositoryText, ROOT, type TextFile } from './repository-text';

/** Folders and files whose design links must resolve. */
const LINKING_PATHS = ['src', 'dev', 'tests', 'e2e', 'trainer', 'scripts', 'docs', 'training', 'README.md'];
/** Far fewer than the code holds: a scanner that finds almost none is broken, not a tree that is clean. */
const MIN_REFERENCES = 20;

// Built from parts, so the scan of tests/ does not find these in this file's own text.
const PAGE_LINK = ['docs', 'design.md'].join('/');
const link = (anchor: string) => `${PAGE_LINK}#${anchor}`;

describe('githubSlug', () => {
  it('lower-cases, drops punctuation and joins words with hyphens as GitHub does', () => {
    expect(githubSlug('Model files')).toBe('model-files');
    expect(githubSlug('Metrics, report and chart')).toBe('metrics-report-and-chart');
    expect(githubSlug('Learning-rate schedule')).toBe('learning-rate-schedule');
    expect(githubSlug('`model_config.toml` (contract)')).toBe('model_configtoml-contract');
    expect(githubSlug('See [the README](../README.md)')).toBe('see-the-readme');
  });

  it('numbers repeated headings and ignores headings inside code fences', () => {
    const page = ['# Data', '## Data', '```sh', '# not a heading', '```', '### Data'].join('\n');
    expect(headingAnchors(page)).toEqual(['data', 'data-1', 'data-2']);
  });
});

describe('designReferences', () => {
  it('finds references from code, from other docs pages and inside the design page', () => {
    const code: TextFile = { path: 'src/x.ts', text: `// a\n// the weights (${link('weights-file')}).` };
    expect(designReferences(code)).toEqual([{ path: 'src/x.ts', line: 2, anchor: 'weights-file' }]);
    const page: TextFile = { path: 'docs/model.md', text: '[modes](design.md#cognitive-modes)' };
    expect(designReferences(page).map((r) => r.anchor)).toEqual(['cognitive-modes']);
    const design: TextFile = { path: DESIGN_PAGE, text: 'the [metrics](#metrics)' };
    expect(designReferences(design).map((r) => r.anchor)).toEqual(['metrics']);
  });

  it('reports a planted reference to a heading that does not exist', () => {
    const anchors = ['model-files', 'parity'];
    const planted: TextFile[] = [
      { path: 'src/good.ts', text: `// ${link('parity')}` },
      { path: 'src/bad.ts', text: `// one\n// two (${link('model-file')})` },
    ];
    expect(brokenReferences(planted, anchors)).toEqual([{ path: 'src/bad.ts', line: 2, anchor: 'model-file' }]);
  });
});

describe('the repository', () => {
  const anchors = headingAnchors(readFileSync(join(ROOT, DESIGN_PAGE), 'utf8'));
  const files = repositoryText(LINKING_PATHS);

  it('points only at headings that docs/design.md has', () => {
    expect(files.flatMap(designReferences).length).toBeGreaterThanOrEqual(MIN_REFERENCES);
    expect(brokenReferences(files, anchors)).toEqual([]);
  });

  it('fails when the design page loses a heading that something points at', () => {
    const withoutModelFiles = anchors.filter((anchor) => anchor !== 'model-files');
    expect(brokenReferences(files, withoutModelFiles).length).toBeGreaterThan(0);
  });
});
