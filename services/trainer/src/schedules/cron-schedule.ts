import { Cron } from 'croner';

export class InvalidCronExpression extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidCronExpression';
  }
}

// croner's own reasons count days and months from 0, so the fields' ranges are spelled out beside them.
const GRAMMAR = 'expected five fields in UTC: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or jan-dec, day-of-week 0-7 or sun-sat (or @hourly, @daily, @weekly, @monthly, @yearly)';

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) or a macro such as @daily, parsed
 * and evaluated in UTC by croner. Both day fields restricted means either may match, as in Vixie cron; "5/20"
 * (from 5, every 20) is read as older crons read it, so schedules stored before keep their meaning.
 */
export class CronSchedule {
  private constructor(
    readonly source: string,
    private readonly cron: Cron,
  ) {}

  static parse(expression: string): CronSchedule {
    const source = expression.trim();
    let cron: Cron;
    try {
      cron = new Cron(source, { timezone: 'UTC', mode: '5-part', sloppyRanges: true, domAndDow: false });
    } catch (err) {
      throw new InvalidCronExpression(`"${source}" is not a cron expression (${(err as Error).message.replace(/^CronPattern: /, '')}); ${GRAMMAR}`);
    }
    const schedule = new CronSchedule(source, cron);
    schedule.nextAfter(new Date(0));
    return schedule;
  }

  /** The first matching minute strictly after `after`. */
  nextAfter(after: Date): Date {
    const next = this.cron.nextRun(after);
    if (!next) throw new InvalidCronExpression(`"${this.source}" never matches a real date`);
    return next;
  }
}
