import {
  AGREE_PRIVACY_BUTTON_ID,
  INITIAL_LOGIN_DATA,
  LoginController,
} from '../../../miniprogram/pages/login/controller';
import type { LoginQuery } from '../../../miniprogram/pages/login/controller';
import {
  answerPrivacyConsent,
  isPrivacyConsentPending,
  onPrivacyConsentChange,
  requestPrivacyConsent,
} from '../../../miniprogram/services/privacy';
import { AppError } from '../../../miniprogram/utils/errors';
import { fakeView, settle } from './page-fakes';

interface Deferred {
  resolve(value?: unknown): void;
  reject(error: unknown): void;
}

function setup(
  options: { lastError?: unknown; needsAuthorization?: boolean; back?: boolean } = {},
) {
  const signIns: Deferred[] = [];
  const calls = { home: 0, back: 0 };
  const view = fakeView(INITIAL_LOGIN_DATA);
  const controller = new LoginController(view, {
    signIn: () =>
      new Promise((resolve, reject) => {
        signIns.push({ resolve, reject });
      }),
    lastError: () => options.lastError,
    describeError: (error) => (error instanceof AppError ? `plain:${error.kind}` : 'plain'),
    // The real privacy service: the test plays the platform through requestPrivacyConsent.
    privacy: {
      isPending: isPrivacyConsentPending,
      answer: answerPrivacyConsent,
      onChange: onPrivacyConsentChange,
      needsAuthorization: () => Promise.resolve(options.needsAuthorization ?? false),
    },
    toHome: () => {
      calls.home += 1;
    },
    back: () => {
      calls.back += 1;
      return Promise.resolve(options.back ?? true);
    },
  });
  const start = (query: LoginQuery = {}) => controller.start(query);
  return { view, controller, signIns, calls, start };
}

afterEach(() => {
  // Leave no platform request pending for the next test.
  answerPrivacyConsent('disagree');
});

describe('LoginController: sign-in', () => {
  it('after a failed launch says why in plain words', async () => {
    const t = setup({ lastError: new AppError({ kind: 'network', message: 'x' }) });
    await t.start({ reason: 'failed' });
    expect(t.view.data).toMatchObject({
      state: 'failed',
      errorText: 'plain:network',
      privacy: false,
    });
  });

  it('after logout shows "signed out" without an error', async () => {
    const t = setup({ lastError: new AppError({ kind: 'network', message: 'x' }) });
    await t.start({ reason: 'logout' });
    expect(t.view.data).toMatchObject({ state: 'logged-out', errorText: '' });
  });

  it('retry signs in once however often it is tapped, then goes home', async () => {
    const t = setup();
    await t.start({ reason: 'failed' });
    const first = t.controller.attempt();
    const second = t.controller.attempt();
    expect(t.signIns).toHaveLength(1);
    expect(t.view.data.state).toBe('signing-in');
    t.signIns[0].resolve();
    await Promise.all([first, second]);
    expect(t.calls.home).toBe(1);
  });

  it('a failed retry shows the new error and can be retried', async () => {
    const t = setup();
    await t.start({ reason: 'failed' });
    const attempt = t.controller.attempt();
    t.signIns[0].reject(new AppError({ kind: 'timeout', message: 'slow' }));
    await attempt;
    expect(t.view.data).toMatchObject({ state: 'failed', errorText: 'plain:timeout' });
    expect(t.calls.home).toBe(0);
    void t.controller.attempt();
    expect(t.signIns).toHaveLength(2);
    expect(t.view.data).toMatchObject({ state: 'signing-in', errorText: '' });
  });

  it('does not touch a page that was closed while signing in', async () => {
    const t = setup();
    await t.start({ reason: 'failed' });
    const attempt = t.controller.attempt();
    t.controller.stop();
    const patches = t.view.patches.length;
    t.signIns[0].reject(new Error('late'));
    await attempt;
    expect(t.view.patches).toHaveLength(patches);
  });
});

describe('LoginController: privacy agreement', () => {
  it('shows the step while the platform waits, and resolves it with the agree button id', async () => {
    const t = setup();
    const answers: unknown[] = [];
    requestPrivacyConsent((answer) => answers.push(answer));
    await t.start({ privacy: '1' });
    expect(t.view.data.privacy).toBe(true);
    await t.controller.agreePrivacy();
    expect(answers).toEqual([{ event: 'agree', buttonId: AGREE_PRIVACY_BUTTON_ID }]);
    expect(t.view.data.privacy).toBe(false);
    // Opened over another page: back there, no sign-in from here.
    expect(t.calls.back).toBe(1);
    expect(t.signIns).toHaveLength(0);
  });

  it('a request arriving while the page is open shows the step', async () => {
    const t = setup();
    await t.start({ reason: 'failed' });
    expect(t.view.data.privacy).toBe(false);
    requestPrivacyConsent(() => undefined);
    expect(t.view.data.privacy).toBe(true);
  });

  it('opened for privacy with nothing to go back to, signs in after agreeing', async () => {
    const t = setup({ back: false });
    requestPrivacyConsent(() => undefined);
    await t.start({ privacy: '1' });
    const agreed = t.controller.agreePrivacy();
    await settle();
    expect(t.signIns).toHaveLength(1);
    t.signIns[0].resolve();
    await agreed;
    expect(t.calls.home).toBe(1);
  });

  it('getPrivacySetting asking first: the step stays until agreed, then sign-in continues', async () => {
    const t = setup({ needsAuthorization: true });
    await t.start({ reason: 'failed' });
    expect(t.view.data.privacy).toBe(true);
    // A platform request coming and going does not hide a step the platform requires.
    requestPrivacyConsent(() => undefined);
    answerPrivacyConsent('disagree');
    expect(t.view.data.privacy).toBe(true);
    void t.controller.agreePrivacy();
    expect(t.view.data.privacy).toBe(false);
    expect(t.signIns).toHaveLength(1);
  });

  it('agreeing after logout waits for the user to tap sign in', async () => {
    const t = setup({ needsAuthorization: true });
    await t.start({ reason: 'logout' });
    await t.controller.agreePrivacy();
    expect(t.signIns).toHaveLength(0);
    expect(t.view.data.state).toBe('logged-out');
  });

  it('declining tells the platform, explains, and keeps the required step', async () => {
    const t = setup({ needsAuthorization: true });
    const answers: unknown[] = [];
    requestPrivacyConsent((answer) => answers.push(answer));
    await t.start({ reason: 'failed' });
    await t.controller.declinePrivacy();
    expect(answers).toEqual([{ event: 'disagree' }]);
    expect(t.view.data).toMatchObject({ privacy: true, privacyDeclined: true });
    expect(t.calls.back).toBe(0);
    expect(t.signIns).toHaveLength(0);
  });

  it('declining a request that interrupted another page goes back there', async () => {
    const t = setup();
    requestPrivacyConsent(() => undefined);
    await t.start({ privacy: '1' });
    await t.controller.declinePrivacy();
    expect(t.calls.back).toBe(1);
    expect(isPrivacyConsentPending()).toBe(false);
  });

  it('opened for a request already answered, with nothing required, goes back at once', async () => {
    const t = setup();
    await t.start({ privacy: '1' });
    expect(t.calls.back).toBe(1);
    expect(t.signIns).toHaveLength(0);
  });

  it('stops listening to privacy requests when the page unloads', async () => {
    const t = setup();
    await t.start({ reason: 'failed' });
    t.controller.stop();
    const patches = t.view.patches.length;
    requestPrivacyConsent(() => undefined);
    expect(t.view.patches).toHaveLength(patches);
  });
});
