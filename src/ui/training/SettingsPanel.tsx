// Step 2 of a run: what to start from (the shipped model or a preset from scratch) and the
// hyperparameters, each refused in place with its reason (the Start button stays disabled).
import { memo, useId } from 'react';
import { FIELD_HINTS, MODEL_CHOICES, RULES, type ModelChoice, type SettingsErrors, type SettingsField, type SettingsForm } from './settings-form';

interface SettingsPanelProps {
  choice: ModelChoice;
  onChoice(choice: ModelChoice): void;
  form: SettingsForm;
  onField(field: SettingsField, value: string): void;
  errors: SettingsErrors;
  disabled: boolean;
}

const FIELD_ORDER: SettingsField[] = ['epochs', 'learningRate', 'batchSize', 'gradientClipNorm', 'earlyStoppingPatience', 'evalIntervalSteps', 'evalSampleSize', 'checkpointIntervalSteps', 'maxSteps', 'evalShare'];
const TEST_IDS: Record<SettingsField, string> = {
  epochs: 'train-epochs', learningRate: 'train-lr', batchSize: 'train-batch-size', gradientClipNorm: 'train-clip', earlyStoppingPatience: 'train-patience',
  evalIntervalSteps: 'train-eval-interval', evalSampleSize: 'train-eval-sample', checkpointIntervalSteps: 'train-checkpoint-interval', maxSteps: 'train-max-steps', evalShare: 'train-eval-share',
};

export const SettingsPanel = memo(function SettingsPanel({ choice, onChoice, form, onField, errors, disabled }: SettingsPanelProps) {
  const id = useId();
  return (
    <section className="panel training-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}><span className="step-badge" aria-hidden="true">2</span>Model and settings</h2>
      <fieldset className="model-choice" disabled={disabled} data-testid="train-model-choice">
        <legend>Start from</legend>
        {MODEL_CHOICES.map((c) => (
          <label key={c.value} className={`choice ${choice === c.value ? 'choice-selected' : ''}`}>
            <input type="radio" name={`${id}-model`} value={c.value} checked={choice === c.value} onChange={() => onChoice(c.value)} data-testid={`train-model-${c.value}`} />
            <span className="choice-label">{c.label}</span>
            <span className="choice-hint">{c.hint}</span>
          </label>
        ))}
      </fieldset>
      <div className="settings-grid">
        {FIELD_ORDER.map((field) => {
          const error = errors[field];
          const hint = FIELD_HINTS[field];
          const describedBy = [error ? `${id}-${field}-error` : '', hint ? `${id}-${field}-hint` : ''].filter(Boolean).join(' ') || undefined;
          return (
            <div key={field} className={`setting ${error ? 'setting-invalid' : ''}`}>
              <label htmlFor={`${id}-${field}`}>{RULES[field].label}</label>
              <input
                id={`${id}-${field}`}
                inputMode={RULES[field].integer ? 'numeric' : 'decimal'}
                value={form[field]}
                disabled={disabled}
                placeholder={RULES[field].optional ? 'all epochs' : undefined}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                data-testid={TEST_IDS[field]}
                onChange={(e) => onField(field, e.target.value)}
              />
              {error ? (
                <span id={`${id}-${field}-error`} className="field-error" data-testid={`${TEST_IDS[field]}-error`}>{error}</span>
              ) : hint ? (
                <span id={`${id}-${field}-hint`} className="field-hint">{hint}</span>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
});
