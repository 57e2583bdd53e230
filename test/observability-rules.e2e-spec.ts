import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '@mlops/testing';

const run = promisify(execFile);
const OBSERVABILITY = join(REPO_ROOT, 'deploy', 'observability');

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}
interface RuleTests {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

/** promtool, from Debian's prometheus package (test-all installs it: deploy/local/prometheus install). */
async function promtool(...args: string[]): Promise<string> {
  const { stdout, stderr } = await run('promtool', args, { cwd: OBSERVABILITY }).catch((err: { stdout: string; stderr: string }) => {
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout}\n${err.stderr}`);
  });
  return stdout + stderr;
}

describe('Prometheus configuration and alert rules, checked by promtool', () => {
  it('accepts both Prometheus configurations and the rule file', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
    expect(await promtool('check', 'config', 'prometheus.compose.yml')).toContain('SUCCESS');
    expect(await promtool('check', 'rules', 'alerts.yml')).toContain('SUCCESS');
  });

  it('passes the rules\' unit tests', async () => {
    expect(await promtool('test', 'rules', 'tests/alerts.test.yml')).toContain('SUCCESS');
  });

  it('has a unit test of every alert that expects it to fire and one that expects it silent', () => {
    const rules = parse(readFileSync(join(OBSERVABILITY, 'alerts.yml'), 'utf8')) as RuleFile;
    const cases = (parse(readFileSync(join(OBSERVABILITY, 'tests', 'alerts.test.yml'), 'utf8')) as RuleTests).tests.flatMap((t) => t.alert_rule_test ?? []);
    const alerts = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    expect(alerts.length).toBeGreaterThan(20);
    const untested = alerts.filter((name) => !cases.some((c) => c.alertname === name && c.exp_alerts.length > 0));
    const neverSilent = alerts.filter((name) => !cases.some((c) => c.alertname === name && c.exp_alerts.length === 0));
    expect({ untested, neverSilent }).toEqual({ untested: [], neverSilent: [] });
  });

  it('provisions dashboards whose every panel queries the provisioned Prometheus', () => {
    const dir = join(OBSERVABILITY, 'grafana', 'dashboards');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    const uids = new Set<string>();
    for (const file of files) {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { uid: string; panels: { id: number; type: string; targets?: { expr: string; refId: string }[] }[] };
      uids.add(dashboard.uid);
      const ids = dashboard.panels.map((p) => p.id);
      expect({ file, duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({ file, duplicateIds: [] });
      for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
        expect({ file, panel: panel.id, exprs: (panel.targets ?? []).filter((t) => t.expr.trim().length > 0).length > 0 }).toEqual({ file, panel: panel.id, exprs: true });
      }
    }
    expect(uids.size).toBe(files.length);
  });
});

