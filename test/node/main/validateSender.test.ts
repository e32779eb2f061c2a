import { describe, expect, it } from 'vitest';

import { createSenderValidator, isTrustedSender } from '../../../electron/main/ipc/validateSender';
import { appEntryUrl } from '../../../electron/main/security';
import { fakeInvokeEvent } from '../../support/fakes/FakeIpcMain';

describe('validateSender', () => {
  const fileApp = appEntryUrl('/opt/ohtw/dist/renderer/index.html');
  const devApp = appEntryUrl('/unused', 'http://localhost:5173/');

  it("trusts the top frame of the app's own page, whatever its hash or query", () => {
    expect(isTrustedSender(fakeInvokeEvent(fileApp), fileApp)).toBe(true);
    expect(isTrustedSender(fakeInvokeEvent(`${fileApp}#/units/oht-07`), fileApp)).toBe(true);
    expect(isTrustedSender(fakeInvokeEvent(`${fileApp}?x=1`), fileApp)).toBe(true);
  });

  it('refuses sub-frames, even of the app itself', () => {
    expect(isTrustedSender(fakeInvokeEvent(fileApp, { url: fileApp }), fileApp)).toBe(false);
  });

  it('refuses other files, other sites and missing frames', () => {
    for (const url of [
      'file:///opt/ohtw/dist/renderer/other.html',
      'file:///opt/ohtw/dist/renderer/index.html/../../../../etc/passwd',
      'file://remote-host/opt/ohtw/dist/renderer/index.html',
      'https://evil.example/opt/ohtw/dist/renderer/index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(isTrustedSender(fakeInvokeEvent(url), fileApp), url).toBe(false);
    }
    expect(isTrustedSender({ senderFrame: null }, fileApp)).toBe(false);
  });

  it('trusts the dev server origin only when it is the app URL', () => {
    const validate = createSenderValidator(devApp);
    expect(validate(fakeInvokeEvent('http://localhost:5173/#/units'))).toBe(true);
    expect(validate(fakeInvokeEvent('http://localhost:5174/'))).toBe(false);
    expect(validate(fakeInvokeEvent(fileApp))).toBe(false);
    expect(createSenderValidator(fileApp)(fakeInvokeEvent('http://localhost:5173/'))).toBe(false);
  });
});
