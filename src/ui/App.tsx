import { lazy, Suspense, useState } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { ModelPanel } from './components/ModelPanel';
import { ShareBar } from './components/ShareBar';
import { Playground } from './components/Playground';
import { useInferenceWorker } from './hooks/useInferenceWorker';
import { ModelOriginDialog } from './components/ModelOriginDialog';
import { ModelOriginNote } from './components/ModelOriginNote';
import { UpdateBanner } from './components/UpdateBanner';
import { modelsUrlOf, useModelSource } from './lib/model-origin';
import { TEST_HOOKS } from '../worker/test-build';
import './training/tabs.css';

// Loaded on the first visit to the Train tab: recharts and the training worker cost nothing before.
const TrainingDashboard = lazy(() =>
  import('./training/TrainingDashboard').then((m) => ({ default: m.TrainingDashboard })),
);

const query = new URLSearchParams(window.location.search);
// Parsed here, as platform/web.ts does, so that the page bundle does not pull in tfjs: only the
// worker runs TensorFlow.js.
const requested = query.get('backend')?.trim().toLowerCase() || null;
/** Shows a button that makes the worker throw, for the end-to-end tests of crash recovery (in the tests' build). */
const crashTest = TEST_HOOKS && query.has('crash-test');

export function App() {
  // The model folder: this build's models/, or `?models=` once the person allowed its origin.
  const source = useModelSource();
  const worker = useInferenceWorker(requested, modelsUrlOf(source));
  const [tab, setTab] = useState<'playground' | 'train'>('playground');
  const [trainOpened, setTrainOpened] = useState(false);
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>LSTM Coding Optimizer</h1>
          <p className="tagline">
            A sequence-to-sequence LSTM with attention and a copy mechanism that fixes, completes and writes short
            Python functions, in your browser.
          </p>
        </div>
        <div>
          {/* The backend the model runs on: the inference worker's. */}
          <BackendBadge state={worker.backend} testId="backend" label="Model runs on" />
          <ModelOriginNote source={source} />
        </div>
      </header>
      <ModelOriginDialog source={source} />
      {/* One main landmark holding everything below the header (axe: one main, all content in landmarks). */}
      <main>
        <UpdateBanner />
        <ShareBar />
        {/* Both tabs stay mounted (hidden, not unmounted): a run keeps training while you use the playground. */}
        <div className="tabs" role="tablist" aria-label="Views">
          <button
            type="button"
            role="tab"
            id="tab-playground"
            aria-selected={tab === 'playground'}
            aria-controls="view-playground"
            data-testid="playground-tab"
            onClick={() => setTab('playground')}
          >
            Playground
          </button>
          <button
            type="button"
            role="tab"
            id="tab-train"
            aria-selected={tab === 'train'}
            aria-controls="view-train"
            data-testid="train-tab"
            onClick={() => {
              setTab('train');
              setTrainOpened(true);
            }}
          >
            Train
          </button>
        </div>
        <div id="view-playground" role="tabpanel" aria-labelledby="tab-playground" hidden={tab !== 'playground'}>
          <Playground worker={worker} />
          <ModelPanel worker={worker} source={source} crashTest={crashTest} />
        </div>
        <div id="view-train" role="tabpanel" aria-labelledby="tab-train" hidden={tab !== 'train'}>
          {trainOpened && (
            <Suspense fallback={<p className="muted">Loading the training tab…</p>}>
              <TrainingDashboard
                onUseInPlayground={(files) => {
                  worker.loadModelFiles(files, 'fine-tuned in the Train tab');
                  setTab('playground');
                }}
              />
            </Suspense>
          )}
        </div>
      </main>
    </div>
  );
}
