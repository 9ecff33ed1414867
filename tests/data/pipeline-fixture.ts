// A small fixed corpus for the data pipeline's golden tests: eight modules of ordinary functions
// (docstrings, loops, comparisons, ranges, methods, an async one) and one function longer than the
// model reads, so every task, most bug classes and the long-function path have something to work on.

const moduleText = (n: number) => `import os


def keep_under_${n}(items, limit):
    """Keep the items under the limit."""
    kept = []
    for item in items:
        if item < limit + ${n}:
            kept.append(item)
    return kept


def total_of_${n}(values):
    total = 0
    for i in range(len(values)):
        total += values[i] * ${n + 1}
    return total


def join_paths_${n}(base, names):
    """Join every name to the base folder."""
    return [os.path.join(base, name) for name in names if name != ""]


class Counter${n}:
    def __init__(self, start=${n}):
        self.count = start

    def add(self, step):
        if step >= 0:
            self.count = self.count + step
        return self.count


async def fetch_all_${n}(client, urls):
    results = {}
    for url in urls:
        results[url] = await client.get(url, timeout=${n + 2})
    return results
`;

const LONG_FUNCTION = `def summarize(rows, width):
    """Format each row as a padded line."""
${Array.from({ length: 14 }, (_, i) => `    cell_${i} = str(rows[${i}]).ljust(width + ${i})\n`).join('')}    return cell_0 + cell_13
`;

/** Path (relative, '/') → text. */
export const GOLDEN_SOURCES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`pkg/mod${n}.py`, moduleText(n)])),
  'pkg/long.py': LONG_FUNCTION,
  'tools/report.py': moduleText(8) + '\n\n' + LONG_FUNCTION.replace('summarize', 'summarize_all'),
};
