/** One check's verdict, with the bound it held the version to and what it measured. */
export interface CheckOutcome {
  name: string;
  passed: boolean;
  detail: string;
  threshold: unknown;
  evidence: unknown;
}
