import { listPatch } from '../../../miniprogram/services/list-diff';
import {
  answerPrivacyConsent,
  isPrivacyConsentPending,
  onPrivacyConsentChange,
  requestPrivacyConsent,
} from '../../../miniprogram/services/privacy';

describe('listPatch', () => {
  it('sends only changed fields by path when the rows are the same', () => {
    const before = [
      { id: 'a', progress: 10, state: 'uploading' },
      { id: 'b', progress: 0, state: 'queued' },
    ];
    const after = [
      { id: 'a', progress: 35, state: 'uploading' },
      { id: 'b', progress: 0, state: 'queued' },
    ];
    expect(listPatch('uploads', before, after)).toEqual({ 'uploads[0].progress': 35 });
    expect(listPatch('uploads', after, after)).toEqual({});
  });

  it('sends the whole list when rows were added, removed or reordered', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    expect(listPatch('x', [a], [a, b])).toEqual({ x: [a, b] });
    expect(listPatch('x', [a, b], [b, a])).toEqual({ x: [b, a] });
  });

  it('compares nested values by content and clears removed fields', () => {
    const before = [
      { id: 'a', file: { url: '/1' }, error: 'x' } as Record<string, unknown> & { id: string },
    ];
    const after = [{ id: 'a', file: { url: '/1' } } as Record<string, unknown> & { id: string }];
    expect(listPatch('u', before, after)).toEqual({ 'u[0].error': null });
  });
});

describe('privacy consent', () => {
  it('resolves the platform request with the user answer and tells listeners', () => {
    const resolve = jest.fn();
    const changes: boolean[] = [];
    const off = onPrivacyConsentChange((waiting) => changes.push(waiting));
    requestPrivacyConsent(resolve);
    expect(isPrivacyConsentPending()).toBe(true);
    expect(answerPrivacyConsent('agree', 'agree-privacy')).toBe(true);
    expect(resolve).toHaveBeenCalledWith({ event: 'agree', buttonId: 'agree-privacy' });
    expect(isPrivacyConsentPending()).toBe(false);
    expect(answerPrivacyConsent('agree')).toBe(false);
    expect(changes).toEqual([true, false]);
    off();
  });

  it('declines an older request replaced by a newer one', () => {
    const first = jest.fn();
    const second = jest.fn();
    requestPrivacyConsent(first);
    requestPrivacyConsent(second);
    expect(first).toHaveBeenCalledWith({ event: 'disagree' });
    answerPrivacyConsent('disagree');
    expect(second).toHaveBeenCalledWith({ event: 'disagree' });
  });
});
