import { type Harness, makeWx, promised, viaCallbacks } from './fixtures/wx/harness';

let h: Harness;
beforeEach(() => {
  h = makeWx();
});
afterEach(() => h.close());

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('toast and loading', () => {
  test('showToast is on screen until its duration passes; history keeps it', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const shown = await promised(h.wx.showToast, {
        title: 'Saved',
        icon: 'none',
        duration: 2000,
      });
      expect(shown.res.errMsg).toBe('showToast:ok');
      expect(h.instance.controls.screen().toast).toEqual({
        title: 'Saved',
        icon: 'none',
        duration: 2000,
        mask: false,
      });
      jest.advanceTimersByTime(1999);
      expect(h.instance.controls.screen().toast).not.toBeNull();
      jest.advanceTimersByTime(1);
      expect(h.instance.controls.screen().toast).toBeNull();
      expect(h.instance.controls.history('showToast')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });

  test('loading and toast share one slot; hideLoading/hideToast clear them', async () => {
    await promised(h.wx.showLoading, { title: 'Loading', mask: true });
    expect(h.instance.controls.screen().loading).toEqual({ title: 'Loading', mask: true });
    await promised(h.wx.showToast, { title: 'Done' });
    expect(h.instance.controls.screen()).toMatchObject({
      loading: null,
      toast: { title: 'Done', icon: 'success' },
    });
    await promised(h.wx.hideToast);
    await promised(h.wx.showLoading, { title: 'Again' });
    await promised(h.wx.hideLoading);
    expect(h.instance.controls.screen()).toMatchObject({ loading: null, toast: null });
    expect(h.instance.controls.history().map((r) => r.api)).toEqual([
      'showLoading',
      'showToast',
      'hideToast',
      'showLoading',
      'hideLoading',
    ]);
  });

  test('a toast without a title or with a bad icon fails', async () => {
    expect((await promised(h.wx.showToast, {})).res.errMsg).toBe(
      'showToast:fail parameter error: parameter.title should be String instead of Undefined;',
    );
    expect((await promised(h.wx.showToast, { title: 'x', icon: 'star' })).res.errMsg).toBe(
      'showToast:fail invalid icon star',
    );
  });
});

describe('modal and action sheet', () => {
  test('showModal waits on screen until Tool.native confirmModal answers it', async () => {
    const answered = promised(h.wx.showModal, { title: 'Delete?', content: 'Sure?' });
    await tick();
    expect(h.instance.controls.screen().modal).toEqual({
      title: 'Delete?',
      content: 'Sure?',
      showCancel: true,
      cancelText: '取消',
      confirmText: '确定',
      editable: false,
      placeholderText: '',
    });
    expect(h.instance.controls.native('confirmModal')).toBe(true);
    expect((await answered).res).toEqual({ confirm: true, cancel: false, errMsg: 'showModal:ok' });
    expect(h.instance.controls.screen().modal).toBeNull();
    expect(h.instance.controls.native('confirmModal')).toBe(false);
  });

  test('cancelModal answers cancel; an editable modal returns the typed content', async () => {
    const cancelled = viaCallbacks(h.wx.showModal, { title: 'Leave?' }).settled;
    await tick();
    h.instance.controls.cancelModal();
    expect((await cancelled).res).toEqual({ confirm: false, cancel: true, errMsg: 'showModal:ok' });
    const edited = promised(h.wx.showModal, { title: 'Name', editable: true });
    await tick();
    h.instance.controls.confirmModal({ content: 'Ann' });
    expect((await edited).res).toMatchObject({ confirm: true, content: 'Ann' });
  });

  test('a configured default answers modals at once; dispose cancels a pending one', async () => {
    const auto = h.restart({ modalDefault: 'cancel' });
    expect((await promised(auto.wx.showModal, { title: 'x' })).res.cancel).toBe(true);
    auto.instance.controls.setModalDefault('confirm');
    expect((await promised(auto.wx.showModal, { title: 'y' })).res.confirm).toBe(true);
    auto.instance.dispose();
    const pending = promised(h.wx.showModal, { title: 'never answered' });
    await tick();
    h.instance.dispose();
    expect((await pending).res.cancel).toBe(true);
  });

  test('showActionSheet resolves with the tapped index, or fails with cancel', async () => {
    const tapped = promised(h.wx.showActionSheet, { itemList: ['A', 'B', 'C'] });
    await tick();
    expect(h.instance.controls.screen().actionSheet).toEqual({
      alertText: '',
      itemList: ['A', 'B', 'C'],
    });
    expect(() => h.instance.controls.answerActionSheet(5)).toThrow(/outside/);
    h.instance.controls.answerActionSheet(2);
    expect((await tapped).res).toEqual({ tapIndex: 2, errMsg: 'showActionSheet:ok' });
    const cancelled = promised(h.wx.showActionSheet, { itemList: ['A'] });
    await tick();
    h.instance.controls.answerActionSheet(null);
    expect((await cancelled).res.errMsg).toBe('showActionSheet:fail cancel');
    const tooMany = await promised(h.wx.showActionSheet, {
      itemList: ['1', '2', '3', '4', '5', '6', '7'],
    });
    expect(tooMany.res.errMsg).toBe(
      'showActionSheet:fail parameter error: itemList should not be large than 6',
    );
  });
});
