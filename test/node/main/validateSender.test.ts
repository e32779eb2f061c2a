import { describe, expect, it } from 'vitest';

import { createSenderValidator, isTrustedSender } from '../../../electron/main/ipc/validateSender';
import { appEntryUrl } from '../../../electron/main/security';
import { fakeInvokeEvent } from '../../support/fakes/FakeIpcMain';

describe('validateSender', () => {
  const app = appEntryUrl();
  const devApp = appEntryUrl('http://localhost:5173/');

  it("trusts the top frame of the app's own page, whatever its hash or query", () => {
    expect(isTrustedSender(fakeInvokeEvent(app), app)).toBe(true);
    expect(isTrustedSender(fakeInvokeEvent(`${app}#/units/oht-07`), app)).toBe(true);
    expect(isTrustedSender(fakeInvokeEvent(`${app}?x=1`), app)).toBe(true);
  });

  it('refuses sub-frames, even of the app itself', () => {
    expect(isTrustedSender(fakeInvokeEvent(app, { url: app }), app)).toBe(false);
  });

  it('refuses other files, other sites and missing frames', () => {
    for (const url of [
      'file:///opt/ohtw/dist/renderer/index.html',
      'file:///etc/passwd',
      'app://other-host/index.html',
      'app://workstation.evil.example/index.html',
      'https://evil.example/opt/ohtw/dist/renderer/index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(isTrustedSender(fakeInvokeEvent(url), app), url).toBe(false);
    }
    expect(isTrustedSender({ senderFrame: null }, app)).toBe(false);
  });

  it('trusts the dev server origin only when it is the app URL', () => {
    const validate = createSenderValidator(devApp);
    expect(validate(fakeInvokeEvent('http://localhost:5173/#/units'))).toBe(true);
    expect(validate(fakeInvokeEvent('http://localhost:5174/'))).toBe(false);
    expect(validate(fakeInvokeEvent(app))).toBe(false);
    expect(createSenderValidator(app)(fakeInvokeEvent('http://localhost:5173/'))).toBe(false);
  });
});
