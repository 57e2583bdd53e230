import { z } from 'zod';
import { describeIssues } from '../definitions/feature-definitions';

export const OnlineRequest = z.strictObject({
  entities: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1).max(1000),
  features: z.array(z.string()).min(1).max(1000),
});

export type OnlineRequest = z.output<typeof OnlineRequest>;

/** The request of POST /online-features, or the reasons it is not one, each naming its field. */
export function parseOnlineRequest(body: unknown): { ok: true; request: OnlineRequest } | { ok: false; reasons: string[] } {
  const parsed = OnlineRequest.safeParse(body);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, reasons: describeIssues(parsed.error) };
}
