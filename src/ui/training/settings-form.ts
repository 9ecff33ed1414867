// The run's settings as the form holds them (text, as typed), their defaults per model choice, and
// the check that turns them into RunSettings or says, per field, why not. Defaults follow the
// presets of src/model/files/config.ts (copied, so the page bundle does not load the model code), with
// checkpoints more often than the CLI: a browser tab is easier to lose than a terminal.
import type { PresetName, RunSettings } from '../../worker/training-protocol';

export type ModelChoice = 'shipped' | PresetName;

export interface SettingsForm {
  epochs: string;
  learningRate: string;
  batchSize: string;
  gradientClipNorm: string;
  earlyStoppingPatience: string;
  evalIntervalSteps: string;
  evalSampleSize: string;
  checkpointIntervalSteps: string;
  maxSteps: string;
  /** Percent of the run's time evaluations may take (100: every due evaluation runs). */
  evalShare: string;
}

/** Evaluations take at most this percent of a run's time by default, as the command line (DEFAULT_EVAL_SHARE). */
export const DEFAULT_EVAL_PERCENT = '15';

export type SettingsField = keyof SettingsForm;
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export const MODEL_CHOICES: { value: ModelChoice; label: string; hint: string }[] = [
  { value: 'shipped', label: 'Fine-tune the shipped model', hint: 'Starts from public/models (the playground’s model) and its vocabulary.' },
  { value: 'tiny', label: 'From scratch: tiny', hint: '1 layer of 32 units, inputs up to 64 tokens: seconds per epoch, fine for a demo on any backend.' },
  { value: 'small', label: 'From scratch: small', hint: '2 layers of 128 units: minutes on a fast machine.' },
  { value: 'seed', label: 'From scratch: seed size', hint: '2 layers of 256 units, bidirectional encoder: the full model, slow in a browser.' },
];

const DEFAULTS: Record<ModelChoice, SettingsForm> = {
  shipped: { epochs: '2', learningRate: '0.0005', batchSize: '16', gradientClipNorm: '1', earlyStoppingPatience: '3', evalIntervalSteps: '50', evalSampleSize: '6', checkpointIntervalSteps: '25', maxSteps: '', evalShare: DEFAULT_EVAL_PERCENT },
  tiny: { epochs: '3', learningRate: '0.003', batchSize: '8', gradientClipNorm: '1', earlyStoppingPatience: '5', evalIntervalSteps: '20', evalSampleSize: '6', checkpointIntervalSteps: '20', maxSteps: '', evalShare: DEFAULT_EVAL_PERCENT },
  small: { epochs: '10', learningRate: '0.001', batchSize: '32', gradientClipNorm: '1', earlyStoppingPatience: '5', evalIntervalSteps: '100', evalSampleSize: '6', checkpointIntervalSteps: '50', maxSteps: '', evalShare: DEFAULT_EVAL_PERCENT },
  seed: { epochs: '25', learningRate: '0.001', batchSize: '32', gradientClipNorm: '1', earlyStoppingPatience: '5', evalIntervalSteps: '200', evalSampleSize: '6', checkpointIntervalSteps: '50', maxSteps: '', evalShare: DEFAULT_EVAL_PERCENT },
};

export function defaultSettings(choice: ModelChoice): SettingsForm {
  return { ...DEFAULTS[choice] };
}

/** Inputs longer than this (lexer tokens) are left out of the data: the model's max_sequence_length. */
export function maxTokensFor(choice: ModelChoice): number {
  return choice === 'tiny' ? 64 : 100;
}

interface Rule {
  label: string;
  integer: boolean;
  min: number;
  max: number;
  /** The minimum itself is not allowed (learning rate 0). */
  minOpen?: boolean;
  optional?: boolean;
}

export const RULES: Record<SettingsField, Rule> = {
  epochs: { label: 'Epochs', integer: true, min: 1, max: 1000 },
  learningRate: { label: 'Learning rate', integer: false, min: 0, max: 1, minOpen: true },
  batchSize: { label: 'Batch size', integer: true, min: 2, max: 512 },
  gradientClipNorm: { label: 'Gradient clip norm', integer: false, min: 0, max: 1000 },
  earlyStoppingPatience: { label: 'Early-stopping patience', integer: true, min: 0, max: 1000 },
  evalIntervalSteps: { label: 'Evaluate every (steps)', integer: true, min: 1, max: 1_000_000 },
  evalSampleSize: { label: 'Eval sample (examples)', integer: true, min: 0, max: 500 },
  checkpointIntervalSteps: { label: 'Checkpoint every (steps)', integer: true, min: 1, max: 1_000_000 },
  maxSteps: { label: 'Stop after (steps)', integer: true, min: 1, max: 10_000_000, optional: true },
  evalShare: { label: 'Evaluation time (% of run)', integer: false, min: 1, max: 100 },
};

export const FIELD_HINTS: Partial<Record<SettingsField, string>> = {
  gradientClipNorm: '0 turns clipping off',
  earlyStoppingPatience: 'evaluations without a better validation loss; 0 never stops early',
  evalSampleSize: 'validation examples decoded in all three modes',
  maxSteps: 'optional; empty runs every epoch',
  evalShare: 'due evaluations are skipped while they would take more; 100 runs every one',
};

/** Why a field's text is refused, or null when it is fine. */
function fieldError(field: SettingsField, text: string): string | null {
  const rule = RULES[field];
  const trimmed = text.trim();
  if (trimmed === '') return rule.optional ? null : 'required';
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return 'not a number';
  if (rule.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (rule.minOpen ? value <= rule.min : value < rule.min) return rule.minOpen ? `must be above ${rule.min}` : `must be at least ${rule.min}`;
  if (value > rule.max) return `must be at most ${rule.max.toLocaleString('en-US')}`;
  return null;
}

export function validateSettings(form: SettingsForm, seed: number): { settings: RunSettings | null; errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  for (const field of Object.keys(RULES) as SettingsField[]) {
    const error = fieldError(field, form[field]);
    if (error) errors[field] = error;
  }
  if (Object.keys(errors).length > 0) return { settings: null, errors };
  const n = (field: SettingsField) => Number(form[field].trim());
  return {
    errors,
    settings: {
      epochs: n('epochs'), learningRate: n('learningRate'), batchSize: n('batchSize'), gradientClipNorm: n('gradientClipNorm'),
      earlyStoppingPatience: n('earlyStoppingPatience'), evalIntervalSteps: n('evalIntervalSteps'), evalSampleSize: n('evalSampleSize'),
      checkpointIntervalSteps: n('checkpointIntervalSteps'), maxSteps: form.maxSteps.trim() === '' ? null : n('maxSteps'), seed,
      evalShare: n('evalShare') / 100,
    },
  };
}

/** The form showing the settings of a saved run (when it is resumed). */
export function formFromSettings(s: RunSettings): SettingsForm {
  return {
    epochs: String(s.epochs), learningRate: String(s.learningRate), batchSize: String(s.batchSize), gradientClipNorm: String(s.gradientClipNorm),
    earlyStoppingPatience: String(s.earlyStoppingPatience), evalIntervalSteps: String(s.evalIntervalSteps), evalSampleSize: String(s.evalSampleSize),
    checkpointIntervalSteps: String(s.checkpointIntervalSteps), maxSteps: s.maxSteps === null ? '' : String(s.maxSteps),
    // A run saved before the setting existed ran every evaluation.
    evalShare: s.evalShare ? String(Math.round(s.evalShare * 10_000) / 100) : '100',
  };
}
