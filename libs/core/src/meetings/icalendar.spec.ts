import { escapeText, foldLine, renderCalendar, utc } from './icalendar';

describe('iCalendar writer', () => {
  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'联席会议'.repeat(20)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
  });

  it('escapes text values and writes UTC times', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    expect(utc(new Date('2026-12-03T06:30:00.000Z'))).toBe('20261203T063000Z');
  });

  it('ends every line with CRLF', () => {
    const text = renderCalendar({
      name: 'test',
      productId: '-//x//y//EN',
      events: [{ uid: 'u1', stamp: new Date(0), start: new Date(0), end: new Date(3600_000), summary: 's', status: 'CONFIRMED', sequence: 0 }],
    });
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
  });
});
