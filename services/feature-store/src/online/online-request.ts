import { OnlineFeaturesRequest } from '@mlops/contracts';
import { describeIssues } from '../definitions/feature-definitions';

export type OnlineRequest = OnlineFeaturesRequest;

/** The request of POST /online-features, or the reasons it is not one, each naming its field. */
export function parseOnlineRequest(body: unknown): { ok: true; request: OnlineRequest } | { ok: false; reasons: string[] } {
  const parsed = OnlineFeaturesRequest.safeParse(body);
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, reasons: describeIssues(parsed.error) };
}
