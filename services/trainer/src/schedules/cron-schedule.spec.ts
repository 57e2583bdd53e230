import { CronSchedule, InvalidCronExpression } from './cron-schedule';

const next = (expression: string, after: string) => CronSchedule.parse(expression).nextAfter(new Date(after)).toISOString();

describe('CronSchedule (croner)', () => {
  it('finds the next minute strictly after the given time', () => {
    expect(next('* * * * *', '2026-11-23T10:15:00Z')).toBe('2026-11-23T10:16:00.000Z');
    expect(next('* * * * *', '2026-11-23T10:15:42Z')).toBe('2026-11-23T10:16:00.000Z');
  });

  it('fires daily at a fixed time, rolling over to the next day once it has passed', () => {
    expect(next('30 3 * * *', '2026-11-23T03:29:59Z')).toBe('2026-11-23T03:30:00.000Z');
    expect(next('30 3 * * *', '2026-11-23T03:30:00Z')).toBe('2026-11-24T03:30:00.000Z');
  });

  it('reads steps, ranges and lists', () => {
    expect(next('*/15 * * * *', '2026-11-23T10:16:00Z')).toBe('2026-11-23T10:30:00.000Z');
    expect(next('5/20 9-17 * * *', '2026-11-23T17:45:00Z')).toBe('2026-11-24T09:05:00.000Z');
    expect(next('0 8,20 * * *', '2026-11-23T08:00:00Z')).toBe('2026-11-23T20:00:00.000Z');
  });

  it('crosses month and year ends', () => {
    expect(next('0 0 1 * *', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 12 31 * *', '2026-11-01T00:00:00Z')).toBe('2026-12-31T12:00:00.000Z');
  });

  it('finds 29 February years ahead', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('matches either day field when both are restricted, and names and 7 for Sunday', () => {
    // 2026-11-23 is a Monday; the 1st of December is a Tuesday.
    expect(next('0 6 1 * mon', '2026-11-23T07:00:00Z')).toBe('2026-11-30T06:00:00.000Z');
    expect(next('0 6 * * 7', '2026-11-23T07:00:00Z')).toBe('2026-11-29T06:00:00.000Z');
    expect(next('0 6 * dec sun', '2026-11-23T07:00:00Z')).toBe('2026-12-06T06:00:00.000Z');
  });

  it('expands the usual macros', () => {
    expect(next('@daily', '2026-11-23T07:00:00Z')).toBe('2026-11-24T00:00:00.000Z');
    expect(next('@weekly', '2026-11-23T07:00:00Z')).toBe('2026-11-29T00:00:00.000Z');
  });

  it.each([
    ['* * * *', /exactly five, six, or seven/],
    ['* * * * * *', /exactly 5 parts/],
    ['60 * * * *', /minute: 60/],
    ['* 24 * * *', /hour: 24/],
    ['* * 0 * *', /day/],
    ['* * * 13 *', /month/],
    ['*/0 * * * *', /illegal stepping: 0/],
    ['5-1 * * * *', /From value is larger than to value: '5-1'/],
    ['a * * * *', /illegal characters/],
  ])('refuses %s with the reason and the fields\' ranges', (expression, reason) => {
    expect(() => CronSchedule.parse(expression)).toThrow(InvalidCronExpression);
    expect(() => CronSchedule.parse(expression)).toThrow(reason);
    expect(() => CronSchedule.parse(expression)).toThrow(`"${expression}" is not a cron expression (`);
    expect(() => CronSchedule.parse(expression)).toThrow('day-of-month 1-31, month 1-12 or jan-dec');
  });

  it('refuses an expression that never matches a real date', () => {
    expect(() => CronSchedule.parse('0 0 30 2 *')).toThrow('"0 0 30 2 *" never matches a real date');
  });
});
