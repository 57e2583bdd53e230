// The generated world the main job runs on: customers described by their monthly minutes and support tickets, who
// churn by a rule that changes when the world drifts. Seeded, so every run sees the same numbers.

export interface Customer {
  minutes: number;
  tickets: number;
}

export type Era = 'before' | 'after';

/**
 * Before the drift: minutes spread over 0-600, churners are the light users and, mostly, the unhappy ones (many
 * tickets), with some noise. After it: usage moves up to 300-900 (data drift the monitor sees) and heavy users
 * start leaving too (a new rule the old model never learned, so its accuracy falls and a retrained one wins).
 */
const ERAS: Record<Era, { minMinutes: number; spanMinutes: number; churned(c: Customer, noise: number): boolean }> = {
  before: { minMinutes: 0, spanMinutes: 600, churned: (c, noise) => c.minutes < 150 || (c.tickets > 5 && noise < 0.8) },
  after: { minMinutes: 300, spanMinutes: 600, churned: (c) => c.minutes > 700 || c.tickets > 5 },
};

export class World {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** One customer of the era and whether they churn (the label the product learns later). */
  customer(era: Era): { customer: Customer; churned: 0 | 1 } {
    const { minMinutes, spanMinutes, churned } = ERAS[era];
    const customer = { minutes: Math.round((minMinutes + this.next() * spanMinutes) * 10) / 10, tickets: Math.floor(this.next() * 8) };
    return { customer, churned: churned(customer, this.next()) ? 1 : 0 };
  }

  // A linear congruential generator: plenty for test data, and the same on every machine.
  private next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }
}
