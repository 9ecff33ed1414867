// The attention map: one row per output token, one column per input token, colour = attention
// weight on an absolute square-root scale (a relative scale would paint an unfocused, uniform row
// as dark as a sharp one). Wide inputs scroll sideways while the row labels stay.
// Pointer: hover a cell; keyboard: focus the map and use the arrow keys. Both update the readout.
import { useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { displayToken, formatProbability } from '../lib/format';

interface AttentionMapProps {
  sourceTokens: string[];
  outputTokens: string[];
  /** [output step][source position]; may hold one more row than outputTokens (the end token). */
  attention: number[][];
}

const CELL = 16;
const ROW_LABEL_WIDTH = 104;
const COLUMN_LABEL_HEIGHT = 74;

/** Light to dark blue; t in 0..1. */
function heatColour(t: number): string {
  const stops = [
    [246, 248, 252],
    [191, 208, 250],
    [84, 120, 222],
    [27, 42, 120],
  ];
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return `rgb(${a.map((v, k) => Math.round(v + (b[k]! - v) * f)).join(',')})`;
}

function short(token: string, max = 12): string {
  const text = displayToken(token);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function AttentionMap({ sourceTokens, outputTokens, attention }: AttentionMapProps) {
  const rows = attention.length;
  const cols = sourceTokens.length;
  const rowLabels = useMemo(
    () => Array.from({ length: rows }, (_, r) => outputTokens[r] ?? '</s>'),
    [rows, outputTokens],
  );
  const [cursor, setCursor] = useState<{ r: number; c: number } | null>(null);
  const width = cols * CELL;
  const height = COLUMN_LABEL_HEIGHT + rows * CELL;

  const pick = (event: MouseEvent<SVGSVGElement>) => {
    const cell = (event.target as Element).closest('[data-cell]');
    if (!cell) return;
    const [r, c] = cell.getAttribute('data-cell')!.split(':').map(Number);
    setCursor({ r: r!, c: c! });
  };
  const move = (event: KeyboardEvent<SVGSVGElement>) => {
    const delta: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const d = delta[event.key];
    if (!d) return;
    event.preventDefault();
    const start = cursor ?? { r: 0, c: 0 };
    setCursor({
      r: Math.max(0, Math.min(rows - 1, start.r + d[0])),
      c: Math.max(0, Math.min(cols - 1, start.c + d[1])),
    });
  };
  const readout = cursor
    ? `Output “${displayToken(rowLabels[cursor.r]!)}” (step ${cursor.r + 1}) → input “${displayToken(sourceTokens[cursor.c]!)}” (position ${cursor.c + 1}): ${formatProbability(attention[cursor.r]![cursor.c]!)} of its attention`
    : 'Hover a cell, or focus the map and use the arrow keys, to read a value.';

  if (rows === 0 || cols === 0) return <p className="muted">No attention to show: the answer has no output tokens.</p>;
  return (
    <figure className="attention" data-testid="attention-map" data-rows={rows} data-cols={cols}>
      <div className="attention-body">
        <svg className="attention-rows" width={ROW_LABEL_WIDTH} height={height} aria-hidden="true">
          {rowLabels.map((token, r) => (
            <text
              key={r}
              x={ROW_LABEL_WIDTH - 6}
              y={COLUMN_LABEL_HEIGHT + r * CELL + CELL * 0.72}
              textAnchor="end"
              className={cursor?.r === r ? 'attention-label-active' : undefined}
            >
              {short(token)}
            </text>
          ))}
        </svg>
        <div className="attention-scroll">
          <svg
            width={width + 8}
            height={height}
            role="img"
            tabIndex={0}
            aria-label={`Attention of ${rows} output tokens over ${cols} input tokens. Use the arrow keys to read cells.`}
            onMouseOver={pick}
            onKeyDown={move}
          >
            {sourceTokens.map((token, c) => (
              <text
                key={c}
                transform={`translate(${c * CELL + CELL * 0.7},${COLUMN_LABEL_HEIGHT - 4}) rotate(-60)`}
                className={cursor?.c === c ? 'attention-label-active' : undefined}
              >
                {short(token, 10)}
              </text>
            ))}
            {attention.map((row, r) =>
              row.map((value, c) => (
                <rect
                  key={`${r}:${c}`}
                  data-cell={`${r}:${c}`}
                  x={c * CELL}
                  y={COLUMN_LABEL_HEIGHT + r * CELL}
                  width={CELL - 1}
                  height={CELL - 1}
                  fill={heatColour(Math.sqrt(value))}
                >
                  <title>{`${displayToken(rowLabels[r]!)} → ${displayToken(sourceTokens[c]!)}: ${formatProbability(value)}`}</title>
                </rect>
              )),
            )}
            {cursor ? (
              <rect
                className="attention-cursor"
                x={cursor.c * CELL - 1}
                y={COLUMN_LABEL_HEIGHT + cursor.r * CELL - 1}
                width={CELL + 1}
                height={CELL + 1}
              />
            ) : null}
          </svg>
        </div>
      </div>
      <figcaption>
        <span className="attention-legend" aria-hidden="true">
          0% <span className="attention-gradient" /> 100%
        </span>
        <span>
          Rows: output tokens. Columns: the input tokens the model read. Colour: attention weight (square-root scale;
          each row sums to 100%).
        </span>
        <output className="attention-readout" aria-live="polite">
          {readout}
        </output>
      </figcaption>
    </figure>
  );
}
