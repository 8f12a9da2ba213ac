import {
  absoluteUrl,
  formatBytes,
  formatClock,
  formatMs,
  formatPercent,
  formatPrice,
} from '../../../miniprogram/services/format';

describe('formatters', () => {
  it('formats prices in cents', () => {
    expect(formatPrice(129900)).toBe('¥1299.00');
    expect(formatPrice(5)).toBe('¥0.05');
    expect(formatPrice(-250)).toBe('-¥2.50');
    expect(formatPrice(Number.NaN)).toBe('—');
  });

  it('formats byte sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3072.0 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats durations and ratios', () => {
    expect(formatMs(85.4)).toBe('85 ms');
    expect(formatMs(1250)).toBe('1.25 s');
    expect(formatMs(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatPercent(0.125)).toBe('13%');
    expect(formatPercent(0.025)).toBe('2.5%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(2)).toBe('100%');
    expect(formatPercent(0 / 0)).toBe('—');
  });

  it('formats a local clock time', () => {
    const at = new Date(2026, 0, 2, 9, 5).getTime();
    expect(formatClock(at)).toBe('09:05');
    expect(formatClock(Number.NaN)).toBe('');
  });

  it('makes API paths absolute and leaves URLs alone', () => {
    expect(absoluteUrl('http://h:1', '/files/x')).toBe('http://h:1/files/x');
    expect(absoluteUrl('http://h:1', 'files/x')).toBe('http://h:1/files/x');
    expect(absoluteUrl('http://h:1', 'https://cdn/x.png')).toBe('https://cdn/x.png');
    expect(absoluteUrl('http://h:1', 'wxfile://tmp_1.png')).toBe('wxfile://tmp_1.png');
    expect(absoluteUrl('http://h:1', '')).toBe('');
  });
});
