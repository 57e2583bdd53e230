/** A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC. */
export class InvalidCronExpression extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidCronExpression';
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  // 7 is accepted as Sunday, as most crons do; it is folded onto 0 below.
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

// Five years covers every valid day-of-month/month combination (29 February) with room to spare.
const SEARCH_LIMIT_MS = 5 * 366 * 24 * 3600_000;

export class CronExpression {
  private constructor(
    readonly source: string,
    private readonly minutes: Set<number>,
    private readonly hours: Set<number>,
    private readonly daysOfMonth: Set<number>,
    private readonly months: Set<number>,
    private readonly daysOfWeek: Set<number>,
    private readonly dayOfMonthRestricted: boolean,
    private readonly dayOfWeekRestricted: boolean,
  ) {}

  static parse(expression: string): CronExpression {
    const trimmed = expression.trim();
    const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
    const parts = expanded.split(/\s+/);
    if (parts.length !== 5) {
      throw new InvalidCronExpression(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length} in "${expression}"`);
    }
    const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((part, i) => parseField(part, FIELDS[i]));
    if (daysOfWeek.delete(7)) daysOfWeek.add(0);
    const cron = new CronExpression(trimmed, minutes, hours, daysOfMonth, months, daysOfWeek, parts[2] !== '*', parts[4] !== '*');
    cron.nextAfter(new Date(0));
    return cron;
  }

  /** The first matching minute strictly after `after`. */
  nextAfter(after: Date): Date {
    const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
    const limit = after.getTime() + SEARCH_LIMIT_MS;
    while (t.getTime() <= limit) {
      if (!this.months.has(t.getUTCMonth() + 1)) {
        t.setUTCMonth(t.getUTCMonth() + 1, 1);
        t.setUTCHours(0, 0);
      } else if (!this.dayMatches(t)) {
        t.setUTCDate(t.getUTCDate() + 1);
        t.setUTCHours(0, 0);
      } else if (!this.hours.has(t.getUTCHours())) {
        t.setUTCHours(t.getUTCHours() + 1, 0);
      } else if (!this.minutes.has(t.getUTCMinutes())) {
        t.setUTCMinutes(t.getUTCMinutes() + 1);
      } else {
        return t;
      }
    }
    throw new InvalidCronExpression(`"${this.source}" never matches a real date`);
  }

  /** Both day fields restricted means either may match, as in Vixie cron. */
  private dayMatches(t: Date): boolean {
    const byMonthDay = this.daysOfMonth.has(t.getUTCDate());
    const byWeekDay = this.daysOfWeek.has(t.getUTCDay());
    if (this.dayOfMonthRestricted && this.dayOfWeekRestricted) return byMonthDay || byWeekDay;
    return byMonthDay && byWeekDay;
  }
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === '') throw new InvalidCronExpression(`${spec.name}: "${item}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : parseNumber(stepText, spec, 'step');
    if (step < 1) throw new InvalidCronExpression(`${spec.name}: step must be at least 1, got ${stepText}`);
    const [from, to] = parseRange(range, spec, stepText !== undefined);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseRange(range: string, spec: FieldSpec, stepped: boolean): [number, number] {
  if (range === '*') return [spec.min, spec.max];
  const [fromText, toText, extra] = range.split('-');
  if (extra !== undefined) throw new InvalidCronExpression(`${spec.name}: "${range}" is not a range`);
  const from = parseValue(fromText, spec);
  // "5/15" means from 5 to the end of the field, stepping by 15.
  const to = toText === undefined ? (stepped ? spec.max : from) : parseValue(toText, spec);
  if (to < from) throw new InvalidCronExpression(`${spec.name}: range ${range} runs backwards`);
  return [from, to];
}

function parseValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + (spec.min === 1 ? 1 : 0) : parseNumber(text, spec, 'value');
  if (value < spec.min || value > spec.max) throw new InvalidCronExpression(`${spec.name}: ${text} is outside ${spec.min}-${spec.max}`);
  return value;
}

function parseNumber(text: string, spec: FieldSpec, what: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidCronExpression(`${spec.name}: ${what} "${text}" is not a number`);
  return Number(text);
}
