import { expect, test } from './fixture';
import { CONTENT_SECURITY_POLICY, CSP_HEADER } from '../tools/content-security-policy';
import { collectPageErrors, snap } from './helpers';
import { runAndWait, serveTiny, waitForModel } from './playground-helpers';

// The app under its content security policy (tools/content-security-policy.ts), as `vite preview`
// sends it: a fix in the playground and a fine-tune in the Train tab raise no violation, in the
// page or in any worker (the policy watch of e2e/fixture.ts, which every spec runs under, sees
// them); a violation put there on purpose, in the page and in the training worker, is seen, so
// silence means no violation rather than nobody listening.

test('fix code and fine-tune under the policy: no violation, and an injected one is seen', async ({
  page,
  policyViolations,
}) => {
  test.setTimeout(240_000);
  const errors = collectPageErrors(page);
  await serveTiny(page);
  const response = await page.goto('/?backend=wasm');
  expect(response?.headers()[CSP_HEADER.toLowerCase()]).toBe(CONTENT_SECURITY_POLICY);
  expect(await page.locator(`meta[http-equiv="${CSP_HEADER}"]`).count()).toBe(1);

  await waitForModel(page);
  await page.getByRole('button', { name: 'Missing colon' }).click();
  await runAndWait(page);
  await expect(page.getByTestId('output')).toContainText(/./);

  await page.getByTestId('train-tab').click();
  await expect(page.getByTestId('data-summary')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await page.getByTestId('train-model-tiny').check();
  await page.getByTestId('train-eval-interval').fill('5');
  await page.getByTestId('train-eval-sample').fill('2');
  await page.getByTestId('train-checkpoint-interval').fill('5');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-checkpoint')).toHaveAttribute('data-step', /^[1-9]\d*$/, { timeout: 150_000 });
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-phase', 'ended', { timeout: 60_000 });
  await policyViolations.settle();
  expect(policyViolations.seen).toEqual([]);
  expect(errors).toEqual([]);

  // The positive controls: an inline script in the page, an eval in a worker.
  await page.evaluate(`{
    const script = document.createElement('script');
    script.textContent = 'window.name = "inline script ran"';
    document.head.append(script);
  }`);
  await expect
    .poll(() => policyViolations.seen.filter((v) => v.directive === 'script-src-elem' && v.blocked === 'inline').length)
    .toBeGreaterThan(0);
  expect(await page.evaluate('window.name')).not.toBe('inline script ran');
  const worker = page.workers().find((w) => w.url().includes('training.worker'));
  expect(worker).toBeDefined();
  // From a timer: code that the test's evaluate runs directly is not held to the policy.
  const evalResult = await worker?.evaluate(`new Promise((resolve) => setTimeout(() => {
    try {
      resolve(String((0, eval)('"eval ran"')));
    } catch (error) {
      resolve(error.name);
    }
  }))`);
  expect(evalResult).toBe('EvalError');
  await expect
    .poll(
      () =>
        policyViolations.seen.filter((v) => v.where.includes('training.worker') && v.directive === 'script-src').length,
    )
    .toBeGreaterThan(0);
  // Both were put there on purpose: the watch's teardown is to find none left.
  expect(policyViolations.take().every((v) => v.directive.startsWith('script-src'))).toBe(true);
  await snap(page, 'content-security-policy-after-training');
});
