// Writes a file of many lines a slice at a time: a whole corpus's train.jsonl as one string passes
// V8's longest string (about 512 MB), which ended a dataset build with "Invalid string length".
import { closeSync, openSync, writeSync } from 'node:fs';

/** Lines per write: a slice's text stays far under V8's string limit. */
export const LINES_PER_WRITE = 20_000;

/**
 * Writes `count` items to `path`, the text of items [start, end) coming from `textOf`. The file
 * holds the same bytes as textOf(0, count) written at once.
 */
export function writeChunked(
  path: string,
  count: number,
  textOf: (start: number, end: number) => string,
  linesPerWrite = LINES_PER_WRITE,
): void {
  const fd = openSync(path, 'w');
  try {
    for (let start = 0; start < count; start += linesPerWrite)
      writeSync(fd, textOf(start, Math.min(count, start + linesPerWrite)));
  } finally {
    closeSync(fd);
  }
}
