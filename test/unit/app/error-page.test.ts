import '../../../miniprogram/i18n/messages';
import { errorPageText } from '../../../miniprogram/pages/error/view';
import { setLocale } from '../../../miniprogram/utils/i18n';

afterEach(() => setLocale('zh-CN'));

describe('errorPageText', () => {
  it("shows the server's message as it came, with its code and trace id", () => {
    expect(
      errorPageText({
        kind: 'business',
        message: encodeURIComponent('库存不足'),
        code: '40901',
        traceId: 'abc-123',
      }),
    ).toEqual({ message: '库存不足 (40901)', traceId: 'abc-123' });
  });

  it('says the kind in plain words when the server sent no message, in the current language', () => {
    setLocale('en');
    expect(errorPageText({ kind: 'timeout' }).message).toBe(
      'The server took too long to answer. Please try again.',
    );
  });

  it('drops what cannot be trusted: unknown kinds, malformed escapes, endless text', () => {
    expect(errorPageText({ kind: 'nonsense', code: '1' })).toEqual({ message: '', traceId: '' });
    expect(errorPageText({ message: '%E0%A4%A', traceId: '%' })).toEqual({
      message: '',
      traceId: '',
    });
    expect(errorPageText({ message: 'x'.repeat(2000) }).message).toHaveLength(500);
  });
});
