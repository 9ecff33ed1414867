import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { openShareFromLocation } from './lib/share-store';
import { modelSource } from './lib/model-origin';
import { reloadOnceForIsolation } from './lib/isolation-reload';
import { holdUpdatesWhileBusy, watchForUpdate } from './lib/sw-update';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// After the first visit the app works offline: sw.js (written by the build) keeps its files, and
// on a host that sets no isolation headers it adds them (one reload, src/ui/lib/isolation-reload.ts).
// A new build's worker waits until no tab of the app is busy and is then offered (src/ui/lib/sw-update.ts).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  holdUpdatesWhileBusy(navigator.locks);
  navigator.serviceWorker
    .register(`${import.meta.env.BASE_URL}sw.js`)
    .then((registration: ServiceWorkerRegistration | undefined) => {
      // undefined where an automated browser blocks service workers (Playwright's default for the specs).
      if (registration) watchForUpdate(registration, navigator.serviceWorker);
      return reloadOnceForIsolation(navigator.serviceWorker);
    })
    .catch((error: unknown) => {
      console.warn('the offline service worker did not register:', error);
    });
}

// The link's state first (a few ms), so every component starts from it.
void openShareFromLocation().then(() => {
  // The model folder's origin is read before the first render too (a refused one is reported on the bar).
  modelSource();
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
