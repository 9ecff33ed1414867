// The Playwright `test` every spec imports (the *.measure.ts timings keep Playwright's own). It
// listens for content security policy violations (tools/content-security-policy.ts; `vite preview`
// sends the policy with every file) in every page of the test's context and in every worker those
// pages start, nested workers and the service worker included, and fails the test in its teardown
// when any was seen. Pages listen from their first script on (an init script). A worker can only be
// reached once it runs, so it looks back as well: a ReportingObserver with `buffered` hands over
// the violations of its first moments too. e2e/policy-violations.spec.ts is the positive control:
// violations put there on purpose are seen, and the teardown fails on them.
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';

export { expect };

/** Console lines that start with this carry one violation, as JSON. */
const MARKER = 'lco-policy-violation ';

/** How long the teardown waits for one page or worker to answer (a realm that hangs is left out). */
const SETTLE_TIMEOUT_MS = 5_000;

/** One violation, as the browser describes it. */
export interface PolicyViolation {
  /** The page, or the worker's script URL. */
  where: string;
  directive: string;
  blocked: string;
  source: string;
  line: number;
}

// Browser code as text: the specs are type-checked for Node, without the DOM's types.
const REPORT = `(v) => console.error(${JSON.stringify(MARKER)} + JSON.stringify(v))`;

/** The page's listener, from its first script on. */
const PAGE_LISTENER = `document.addEventListener('securitypolicyviolation', (e) => (${REPORT})({
  directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber }));`;

/**
 * A worker's listener: its reporting observer hands over what came before (buffered) and what
 * comes after. (The page runs under two copies of the policy, the header and the <meta>, and so
 * does a blob: worker, which inherits them: each copy reports its own violation.)
 */
const WORKER_LISTENER = `(() => {
  if (self.__policyViolationsWatched) return;
  self.__policyViolationsWatched = true;
  new ReportingObserver((reports) => {
    for (const { body: b } of reports)
      (${REPORT})({ directive: b.effectiveDirective, blocked: b.blockedURL, source: b.sourceFile, line: b.lineNumber });
  }, { types: ['csp-violation'], buffered: true }).observe();
})()`;

export interface PolicyViolations {
  /** Every violation seen so far, in the order the reports came. */
  readonly seen: readonly PolicyViolation[];
  /** Watches a context the test made itself (browser.newContext()); the test's own is watched already. */
  watch(context: BrowserContext): Promise<void>;
  /** Waits until every page and worker still open has handed over what it saw. */
  settle(): Promise<void>;
  /** What was seen, forgotten: a test that causes violations on purpose takes them, the rest fail. */
  take(): PolicyViolation[];
}

class ViolationRecorder implements PolicyViolations {
  seen: PolicyViolation[] = [];
  private readonly contexts = new Set<BrowserContext>();
  private readonly workers = new Set<Worker>();

  async watch(context: BrowserContext): Promise<void> {
    if (this.contexts.has(context)) return;
    this.contexts.add(context);
    context.on('console', (message) => {
      const text = message.text();
      if (!text.startsWith(MARKER)) return;
      const where = message.worker()?.url() ?? message.page()?.url() ?? 'unknown';
      this.seen.push({ where, ...(JSON.parse(text.slice(MARKER.length)) as Omit<PolicyViolation, 'where'>) });
    });
    context.on('page', (page) => this.watchWorkersOf(page));
    context.on('serviceworker', (worker) => this.watchWorker(worker));
    await context.addInitScript({ content: PAGE_LISTENER });
    for (const page of context.pages()) this.watchWorkersOf(page);
    for (const worker of context.serviceWorkers()) this.watchWorker(worker);
  }

  private watchWorkersOf(page: Page): void {
    page.on('worker', (worker) => this.watchWorker(worker));
    for (const worker of page.workers()) this.watchWorker(worker);
  }

  private watchWorker(worker: Worker): void {
    this.workers.add(worker);
    worker.on('close', () => this.workers.delete(worker));
    void worker.evaluate(WORKER_LISTENER).catch(() => undefined); // a worker that ended first
  }

  async settle(): Promise<void> {
    // A reporting observer's reports come in a task of their own; one round trip to every realm
    // still open after that brings its console lines in ahead of the answer.
    const pause = 'new Promise((resolve) => setTimeout(resolve, 50))';
    const roundTrips: Promise<unknown>[] = [...this.workers].map((worker) => worker.evaluate(pause));
    for (const context of this.contexts)
      for (const page of context.pages()) if (!page.isClosed()) roundTrips.push(page.evaluate(pause));
    await Promise.all(
      roundTrips.map((roundTrip) =>
        Promise.race([
          roundTrip.catch(() => undefined), // a realm that closed meanwhile
          new Promise((resolve) => setTimeout(resolve, SETTLE_TIMEOUT_MS)),
        ]),
      ),
    );
  }

  take(): PolicyViolation[] {
    const taken = this.seen;
    this.seen = [];
    return taken;
  }
}

export const test = base.extend<{ policyViolations: PolicyViolations }>({
  policyViolations: [
    async ({ context }, use) => {
      const recorder = new ViolationRecorder();
      await recorder.watch(context);
      await use(recorder);
      await recorder.settle();
      expect(recorder.seen, 'content security policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
