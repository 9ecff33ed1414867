// training_report.md, written from training_metrics.json only: every figure in it is measured.
import type { MetricSet } from './evaluate';
import type { MeasuredEval, TrainingMetrics } from './metrics-file';
import type { EvalRecord } from './loop';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

function metricTable(title: string, groups: Record<string, MetricSet>, baseline?: Record<string, MetricSet>): string[] {
  const lines = [
    `### ${title}`,
    '',
    row([
      '',
      'count',
      'exact match',
      'token accuracy',
      'no-harm',
      'parse rate',
      ...(baseline ? ['copy baseline exact match'] : []),
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', ...(baseline ? ['---:'] : [])]),
  ];
  for (const [name, m] of Object.entries(groups)) {
    lines.push(
      row([
        name,
        m.count,
        pct(m.exact_match),
        pct(m.token_accuracy),
        pct(m.no_harm_rate),
        pct(m.parse_rate),
        ...(baseline ? [pct(baseline[name]?.exact_match)] : []),
      ]),
    );
  }
  return [...lines, ''];
}

export function writeTrainingReport(m: TrainingMetrics): string {
  const a = m.model.architecture;
  const r = m.run;
  const lines = [
    `# ${m.model.name} ${m.model.version}: training report`,
    '',
    `Written ${m.created} from \`training_metrics.json\` by \`${m.trainer?.name === 'pytorch' ? 'python3 -m trainer train' : 'npm run cli -- train'}\`. Every figure below was measured by that run; none is typed in.`,
    '',
    '## Model',
    '',
    `Sequence-to-sequence LSTM: embedding ${a['embedding_dim']}, ${a['num_layers']} LSTM layers of ${a['hidden_size']} units in the encoder` +
      `${a['bidirectional_encoder'] ? ' (the first one bidirectional)' : ''} and in the decoder, ${a['attention_heads']}-head attention over the encoder states, ` +
      `${a['copy_mechanism'] ? 'pointer-generator copy mechanism, ' : ''}dropout ${a['dropout']}. Vocabulary ${m.model.vocab_size} tokens; ` +
      `inputs up to ${a['max_sequence_length']} code tokens. ${m.model.parameters.toLocaleString('en-US')} parameters.`,
    '',
    '## Training',
    '',
    row(['setting', 'value']),
    row(['---', '---']),
    row(['epochs (planned)', m.settings.epochs]),
    row([
      'learning rate (Adam)',
      m.settings.decayToFraction === undefined
        ? m.settings.learningRate
        : `${m.settings.learningRate}, falling linearly to ${m.settings.learningRate * m.settings.decayToFraction} at ${m.settings.plannedSteps === undefined ? 'the last planned step' : `step ${m.settings.plannedSteps}`}`,
    ]),
    row(['batch size', m.settings.batch_size]),
    row(['gradient clip (global norm)', m.settings.gradientClipNorm]),
    row(['early-stopping patience (evaluations)', m.settings.earlyStoppingPatience]),
    row(['evaluation interval (steps)', m.settings.evalIntervalSteps]),
    row(['seed', m.settings.seed]),
    '',
    row(['run', 'measured']),
    row(['---', '---']),
    row(['stopped because', r.stop_reason]),
    row(['steps', r.steps]),
    row(['epochs completed', r.epochs_completed]),
    row(['training wall time', `${(r.wall_time_ms / 60000).toFixed(1)} min`]),
    row(['steps per second', r.steps_per_second.toFixed(3)]),
    row(['tokens per second (source + target)', r.tokens_per_second.toFixed(0)]),
    row(['best validation loss', r.best_val_loss?.toFixed(4) ?? '–']),
    row(['backend', r.backend]),
    row(['machine', r.machine]),
    '',
    ...initFromLines(m),
    '![loss and accuracy curves](training_metrics.svg)',
    '',
  ];
  if (m.epochs.length > 0) {
    lines.push(
      '### Per epoch',
      '',
      row(['epoch', 'mean train loss', 'validation loss']),
      row(['---:', '---:', '---:']),
    );
    for (const e of m.epochs) lines.push(row([e.epoch + 1, e.train_loss.toFixed(4), e.val_loss?.toFixed(4) ?? '–']));
    lines.push('');
  }
  if (m.test) {
    const t = m.test;
    lines.push(
      '## Results on the test split',
      '',
      `${t.count} answers (${t.limit} examples × ${t.modes.length} modes) from functions in files the model never saw. Reproduce with \`${t.command}\`.`,
      '',
      row(['', 'exact match', 'token accuracy', 'no-harm', 'parse rate']),
      row(['---', '---:', '---:', '---:', '---:']),
      row(['model (all modes)', pct(t.exact_match), pct(t.token_accuracy), pct(t.no_harm_rate), pct(t.parse_rate)]),
      row([
        'copy baseline',
        pct(t.copy_baseline.exact_match),
        '–',
        pct(t.copy_baseline.no_harm_rate),
        pct(t.copy_baseline.parse_rate),
      ]),
      '',
      ...metricTable('Per cognitive mode', t.by_mode),
      ...metricTable('Per task', t.by_task, t.copy_baseline.by_task),
      ...metricTable('Per bug class (fix), all modes', t.by_class, t.copy_baseline.by_class),
      ...(t.by_mode_class?.['convergent']
        ? metricTable(
            'Per bug class (fix), convergent mode (where the targets are set)',
            t.by_mode_class['convergent'],
            t.copy_baseline.by_class,
          )
        : []),
      'Classes that no model can see from the text alone (`wrong_comparison`, `off_by_one_range`) are reported, not targeted.',
      '',
    );
  } else {
    lines.push('## Results on the test split', '', 'Not measured in this run.', '');
  }
  lines.push(...outsideLines(m));
  if (m.dataset) {
    lines.push('## Data', '', '```json', JSON.stringify(m.dataset, null, 1).slice(0, 4000), '```', '');
  }
  lines.push('## Artifacts', '', row(['file', 'bytes']), row(['---', '---:']));
  for (const [name, bytes] of Object.entries(m.artifacts))
    lines.push(row([`\`${name}\``, bytes.toLocaleString('en-US')]));
  lines.push('');
  return lines.join('\n');
}

/**
 * Where the run's starting weights came from, the training runs behind them, and which evaluation
 * the weights here come from: a folder keeps the best model by validation loss, so the steps after
 * that evaluation did not shape its weights.
 */
function initFromLines(m: TrainingMetrics): string[] {
  const best = m.evals.reduce<EvalRecord | null>((b, e) => (b === null || e.valLoss < b.valLoss ? e : b), null);
  const chosen =
    best && best.step < m.run.steps
      ? `The weights here are this run's best by validation loss, from step ${best.step.toLocaleString('en-US')} of ${m.run.steps.toLocaleString('en-US')}.`
      : '';
  const i = m.init_from;
  if (!i) return [['This run started from randomly initialised weights.', chosen].filter(Boolean).join(' '), ''];
  const minutes = (ms: number) => `${(ms / 60000).toFixed(1)} min`;
  return [
    `This run started from the weights in \`${i.dir}\` (metrics written ${i.created}), whose training runs came to ${i.before.steps.toLocaleString('en-US')} steps and ` +
      `${minutes(i.before.wall_time_ms)}. With this run, the training runs came to ` +
      `${(i.before.steps + m.run.steps).toLocaleString('en-US')} steps, ${minutes(i.before.wall_time_ms + m.run.wall_time_ms)} and ` +
      `${(i.before.tokens_seen + m.run.tokens_seen).toLocaleString('en-US')} tokens on this machine (whole runs, the steps after each run's best evaluation included). ${chosen}`.trimEnd(),
    '',
  ];
}

/** Outside real code, and the model this one replaces on the same examples (test split and outside). */
function outsideLines(m: TrainingMetrics): string[] {
  const o = m.outside;
  const p = m.previous;
  const lines: string[] = [];
  if (o) {
    const prev = p?.outside ?? null;
    lines.push(
      '## Outside real code',
      '',
      `Functions from installed third-party packages (\`npm run cli -- dataset --outside\`: never trained on), one injected bug per class or none, ` +
        `convergent mode, ${o.limit} examples. Reproduce with \`${o.command}\`.`,
      '',
      row(['class', 'count', 'this model', ...(prev ? [`previous (${p!.dir})`] : []), 'copy baseline']),
      row(['---', '---:', '---:', ...(prev ? ['---:'] : []), '---:']),
    );
    for (const [name, set] of Object.entries(o.by_class))
      lines.push(
        row([
          name,
          set.count,
          pct(set.exact_match),
          ...(prev ? [pct(prev.by_class[name]?.exact_match)] : []),
          pct(o.copy_baseline.by_class[name]?.exact_match),
        ]),
      );
    lines.push(
      row([
        'all',
        o.count,
        pct(o.exact_match),
        ...(prev ? [pct(prev.exact_match)] : []),
        pct(o.copy_baseline.exact_match),
      ]),
      row([
        'no-harm',
        '',
        pct(o.no_harm_rate),
        ...(prev ? [pct(prev.no_harm_rate)] : []),
        pct(o.copy_baseline.no_harm_rate),
      ]),
      row([
        'parse rate of answers',
        '',
        pct(o.parse_rate),
        ...(prev ? [pct(prev.parse_rate)] : []),
        pct(o.copy_baseline.parse_rate),
      ]),
      '',
    );
  }
  const c = m.outside_complete;
  if (c) {
    const prev = p?.outside_complete ?? null;
    lines.push(
      '### Next line (complete) on outside code',
      '',
      `${c.limit} lines of outside functions no fix example holds, after the text before them. Reproduce with \`${c.command}\`.`,
      '',
      row(['', 'this model', ...(prev ? ['previous'] : []), 'copy baseline (the last line again)']),
      row(['---', '---:', ...(prev ? ['---:'] : []), '---:']),
      row([
        'exact match',
        pct(c.exact_match),
        ...(prev ? [pct(prev.exact_match)] : []),
        pct(c.copy_baseline.exact_match),
      ]),
      row(['token accuracy', pct(c.token_accuracy), ...(prev ? [pct(prev.token_accuracy)] : []), '–']),
      '',
    );
  }
  const g = m.outside_generate;
  if (g) {
    const prev = p?.outside_generate ?? null;
    const figure = (name: string, of: (e: MeasuredEval) => number | null) =>
      row([name, pct(of(g)), ...(prev ? [pct(of(prev))] : [])]);
    lines.push(
      '### Generate on outside code',
      '',
      `${g.limit} documented outside functions no other example holds: the body written from the signature and docstring. Reproduce with \`${g.command}\`.`,
      '',
      row(['', 'this model', ...(prev ? ['previous'] : [])]),
      row(['---', '---:', ...(prev ? ['---:'] : [])]),
      figure('token accuracy', (e) => e.token_accuracy),
      figure('exact match', (e) => e.exact_match),
      figure('parse rate', (e) => e.parse_rate),
      '',
    );
  }
  const t = m.test?.by_mode_class['convergent'];
  const pt = p?.test?.by_mode_class['convergent'];
  if (t && pt) {
    lines.push(
      '## Test split beside the previous model',
      '',
      `Exact match per class, convergent mode, on the same ${m.test!.limit} test examples (\`${m.test!.data}\`); the previous model is \`${p!.dir}\` ` +
        `(metrics written ${p!.created}).`,
      '',
      row(['class', 'this model', 'previous', 'change (points)']),
      row(['---', '---:', '---:', '---:']),
    );
    for (const [name, set] of Object.entries(t)) {
      const before = pt[name]?.exact_match;
      const change =
        set.exact_match !== null && before !== null && before !== undefined
          ? ((set.exact_match - before) * 100).toFixed(1)
          : '–';
      lines.push(row([name, pct(set.exact_match), pct(before), change]));
    }
    lines.push('');
  }
  return lines;
}
