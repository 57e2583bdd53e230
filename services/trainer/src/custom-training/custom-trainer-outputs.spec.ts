import { describeExit, failureReason, parseReportedMetrics, REASON_LINES } from './custom-trainer-outputs';

describe('parseReportedMetrics', () => {
  it('prefixes each reported metric with reported_', () => {
    expect(parseReportedMetrics('{"auc": 0.91, "log_loss": 0.3}')).toEqual({ metrics: { reported_auc: 0.91, reported_log_loss: 0.3 } });
  });

  it('says what is wrong with a file that is not an object of finite numbers', () => {
    expect(parseReportedMetrics('not json')).toEqual({ error: expect.stringContaining('metrics.json is not JSON') });
    expect(parseReportedMetrics('[1, 2]')).toEqual({ error: 'metrics.json must hold a JSON object of metric name to number' });
    expect(parseReportedMetrics('{"auc": "high"}')).toEqual({ error: 'metrics.json: auc must be a finite number, got "high"' });
    expect(parseReportedMetrics('{"auc": null}')).toEqual({ error: 'metrics.json: auc must be a finite number, got null' });
    expect(parseReportedMetrics('{"a b": 1}')).toEqual({ error: expect.stringContaining('"a b" is not a metric name') });
  });
});

describe('describeExit', () => {
  it('names the exit code, the signal or the timeout, and nothing for a clean exit', () => {
    expect(describeExit({ exitCode: 0, signal: null, timedOut: false }, 1000)).toBeNull();
    expect(describeExit({ exitCode: 3, signal: null, timedOut: false }, 1000)).toBe('exit code 3');
    expect(describeExit({ exitCode: null, signal: 'SIGSEGV', timedOut: false }, 1000)).toBe('killed by signal SIGSEGV');
    expect(describeExit({ exitCode: null, signal: 'SIGKILL', timedOut: true }, 1500)).toBe('timed out after 1.5s (process group killed)');
  });
});

describe('failureReason', () => {
  it('quotes the last lines of output', () => {
    const output = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const reason = failureReason('t', 'exit code 1', output);
    expect(reason).toMatch(/^custom trainer t failed: exit code 1; last 20 lines of output:\nline 10\n/);
    expect(reason.endsWith('line 29')).toBe(true);
    expect(reason).not.toContain('line 9\n');
    expect(REASON_LINES).toBe(20);
  });

  it('says when the trainer printed nothing', () => {
    expect(failureReason('t', 'exit code 2', '')).toBe('custom trainer t failed: exit code 2; it printed nothing');
  });
});
