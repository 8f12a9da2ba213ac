import { debounce } from '../../../miniprogram/services/debounce';
import { isAtBottom, onNewMessages } from '../../../miniprogram/services/scroll';

describe('debounce', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs only the last call after the quiet period', () => {
    const fn = jest.fn();
    const search = debounce(fn, 300);
    search('p');
    jest.advanceTimersByTime(200);
    search('ph');
    jest.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('ph');
  });

  it('cancel drops the pending call and flush runs it now', () => {
    const fn = jest.fn();
    const search = debounce(fn, 300);
    search('a');
    search.cancel();
    jest.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
    search('b');
    search.flush();
    expect(fn).toHaveBeenCalledWith('b');
    search.flush();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('stick to bottom', () => {
  it('counts as at the bottom within the threshold', () => {
    expect(isAtBottom({ scrollTop: 920, scrollHeight: 1600, viewportHeight: 600 })).toBe(true);
    expect(isAtBottom({ scrollTop: 500, scrollHeight: 1600, viewportHeight: 600 })).toBe(false);
  });

  it('follows new messages when pinned or when they are our own, else counts them', () => {
    expect(onNewMessages(true, 0, 1, false)).toEqual({ scroll: true, unseen: 0 });
    expect(onNewMessages(false, 2, 1, false)).toEqual({ scroll: false, unseen: 3 });
    expect(onNewMessages(false, 2, 1, true)).toEqual({ scroll: true, unseen: 0 });
  });
});
