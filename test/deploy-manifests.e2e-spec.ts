import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

// deploy/compose and deploy/helm checked by the real tools (Docker Compose, Helm, kubeconform with the Kubernetes
// schemas), which deploy/validate-tools builds once into ~/.cache/mlops/tools; then what they accepted is held to the
// secured stack: each service its own principal, every credential referenced and none written out.

const repo = join(__dirname, '..');
const composeFile = join(repo, 'deploy/compose/compose.yaml');
const chart = join(repo, 'deploy/helm/mlops');
const KUBERNETES_VERSION = '1.33.0';
const SERVICES = ['feature-store', 'trainer', 'registry', 'inference-gateway', 'monitor', 'governance'];
// The first run builds the tools with Go (minutes on two cores); later runs find them.
const INSTALL_TIMEOUT_MS = 30 * 60_000;
// A variable that would carry a credential itself rather than name the file holding it.
const CREDENTIAL_VARIABLE = /PASSWORD|SECRET|API_KEY/;
const isCredentialInline = (name: string): boolean => CREDENTIAL_VARIABLE.test(name) && !name.endsWith('_FILE');
const URL_WITH_PASSWORD = /:\/\/[^/@\s]+:[^/@\s]+@/;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const result = spawnSync(command, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...options.env }, input: options.input, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function succeeded(result: Run): string {
  if (result.status !== 0) throw new Error(`exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

let tools: string;
const bin = (tool: string): string => join(tools, 'bin', tool);

beforeAll(() => {
  tools = succeeded(run('bash', ['deploy/validate-tools'])).trim();
}, INSTALL_TIMEOUT_MS);

// ------------------------------------------------------------------------------------------------ Compose
interface ComposeService {
  image?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | null>;
  secrets?: { source: string; target?: string }[];
  depends_on?: Record<string, { condition: string }>;
  volumes?: { type: string; source?: string; target: string }[];
}

interface ComposeProject {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  secrets: Record<string, { file?: string; environment?: string }>;
}

describe('deploy/compose', () => {
  let secretsDir: string;
  let resolved: string;
  let project: ComposeProject;

  const compose = (...args: string[]): Run => run(bin('docker-compose'), ['-f', composeFile, ...args], { env: { MLOPS_COMPOSE_SECRETS: secretsDir } });

  beforeAll(() => {
    secretsDir = join(mkdtempSync(join(tmpdir(), 'compose-secrets-')), 'secrets');
    succeeded(run('bash', ['deploy/compose/make-secrets'], { env: { MLOPS_COMPOSE_SECRETS: secretsDir } }));
    resolved = succeeded(compose('config', '--format', 'json'));
    project = JSON.parse(resolved) as ComposeProject;
  });

  afterAll(() => rmSync(join(secretsDir, '..'), { recursive: true, force: true }));

  it('is accepted by docker compose config, and every secret it names is a file make-secrets wrote', () => {
    const files = Object.entries(project.secrets).map(([name, secret]) => ({ name, file: secret.file ?? '' }));
    expect(files.length).toBeGreaterThan(0);
    for (const { name, file } of files) {
      expect({ name, dir: join(file, '..') }).toEqual({ name, dir: secretsDir });
      expect({ name, exists: existsSync(file) }).toEqual({ name, exists: true });
    }
  });

  it('holds no credential: no generated value appears in the resolved configuration, no secret comes from the environment', () => {
    const values = readdirSync(secretsDir).map((name) => readFileSync(join(secretsDir, name), 'utf8'));
    expect(values.length).toBe(Object.keys(project.secrets).length);
    for (const value of values) expect(resolved.includes(value)).toBe(false);
    expect(Object.values(project.secrets).filter((secret) => secret.environment !== undefined)).toEqual([]);
    const inline = Object.entries(project.services).flatMap(([service, { environment = {} }]) =>
      Object.entries(environment)
        .filter(([name, value]) => isCredentialInline(name) || URL_WITH_PASSWORD.test(value ?? ''))
        .map(([name]) => `${service}: ${name}`),
    );
    expect(inline).toEqual([]);
  });

  it.each(SERVICES)('runs %s as its own Kafka, Postgres and MinIO principal, with credentials from secret files', (service) => {
    const { environment = {}, secrets = [] } = project.services[service];
    expect(environment).toMatchObject({
      MLOPS_KAFKA_USERNAME: service,
      MLOPS_S3_ACCESS_KEY: service,
      MLOPS_KAFKA_PASSWORD_FILE: '/run/secrets/kafka-password',
      MLOPS_POSTGRES_URL_FILE: '/run/secrets/postgres-url',
      MLOPS_S3_SECRET_KEY_FILE: '/run/secrets/s3-secret-key',
    });
    for (const inline of ['MLOPS_KAFKA_PASSWORD', 'MLOPS_POSTGRES_URL', 'MLOPS_S3_SECRET_KEY', 'MLOPS_SERVICE_API_KEY']) {
      expect(environment[inline]).toBeUndefined();
    }
    expect(secrets.map(({ source, target }) => `${source}->${target}`).sort()).toEqual(
      [`kafka-${service}->kafka-password`, `minio-${service}->s3-secret-key`, `postgres-url-${service}->postgres-url`].sort(),
    );
    expect(readFileSync(join(secretsDir, `postgres-url-${service}`), 'utf8')).toMatch(
      new RegExp(`^postgres://mlops_${service.replaceAll('-', '_')}:[A-Za-z0-9]{32}@postgres:5432/mlops$`),
    );
  });

  it('starts the services only after the provisioning jobs, ACLs and policies from provision.ts included', () => {
    for (const service of SERVICES) {
      for (const job of ['provision', 'minio-users', 'postgres-roles', 'api-keys']) {
        expect({ service, job, condition: project.services[service].depends_on?.[job]?.condition }).toEqual({
          service,
          job,
          condition: 'service_completed_successfully',
        });
      }
    }
    expect(project.services.provision.command?.join(' ')).toMatch(/provision\.ts kafka-access .*provision\.ts storage-policies/);
    expect(project.services['minio-users'].depends_on?.provision?.condition).toBe('service_completed_successfully');
    expect(project.services.provision.depends_on?.['kafka-users']?.condition).toBe('service_completed_successfully');
    expect(project.services['kafka-users'].environment?.MLOPS_KAFKA_PRINCIPALS?.split(' ').sort()).toEqual([...SERVICES, 'app'].sort());
  });

  it("keeps the gateway's prediction-log spool on a named volume, so a restart neither loses nor drops what it holds", () => {
    const gateway = project.services['inference-gateway'];
    const dir = gateway.environment?.MLOPS_GATEWAY_PREDICTION_SPOOL_DIR;
    expect(dir).toBe('/var/lib/mlops-prediction-spool');
    expect(gateway.volumes?.find((volume) => volume.target === dir)).toMatchObject({ type: 'volume', source: 'prediction-spool' });
    expect(Object.keys(project.volumes ?? {})).toContain('prediction-spool');
  });

  it('refuses a file that names a secret it does not define', () => {
    const broken = join(secretsDir, '..', 'broken.yaml');
    writeFileSync(broken, 'services:\n  monitor:\n    secrets: [no-such-secret]\n');
    const result = run(bin('docker-compose'), ['-f', composeFile, '-f', broken, 'config', '--quiet'], { env: { MLOPS_COMPOSE_SECRETS: secretsDir } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('undefined secret no-such-secret');
  });
});

// --------------------------------------------------------------------------------------------------- Helm
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

interface Container {
  name: string;
  env?: EnvVar[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: { sizeLimit?: string | number } }[];
}

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: {
    template?: { spec: PodSpec };
    scaleTargetRef?: { kind: string; name: string };
    minReplicas?: number;
    selector?: { matchLabels?: Record<string, string> };
  };
  data?: Record<string, string>;
}

describe('deploy/helm/mlops', () => {
  let rendered: string;
  let manifests: Manifest[];

  const kubeconform = (input: string): Run =>
    run(bin('kubeconform'), ['-strict', '-summary', '-kubernetes-version', KUBERNETES_VERSION, '-schema-location', join(tools, 'k8s-schemas'), '-'], { input });
  const ofKind = (kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
  const named = (kind: string, name: string): Manifest | undefined => ofKind(kind).find((m) => m.metadata.name === name);
  const containersOf = (m: Manifest): Container[] => [...(m.spec?.template?.spec.initContainers ?? []), ...(m.spec?.template?.spec.containers ?? [])];

  beforeAll(() => {
    rendered = succeeded(run(bin('helm'), ['template', 'mlops', chart, '--kube-version', KUBERNETES_VERSION]));
    manifests = parseAllDocuments(rendered)
      .map((doc) => doc.toJSON() as Manifest | null)
      .filter((m): m is Manifest => m !== null);
  });

  it('passes helm lint --strict', () => {
    const lint = run(bin('helm'), ['lint', '--strict', '--kube-version', KUBERNETES_VERSION, chart]);
    expect(lint.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(lint.status).toBe(0);
  });

  it('renders only objects valid for the Kubernetes schemas (kubeconform -strict)', () => {
    const check = kubeconform(rendered);
    expect(check.stdout).toMatch(/Valid: \d+, Invalid: 0, Errors: 0, Skipped: 0/);
    expect(check.status).toBe(0);
    expect(manifests.length).toBeGreaterThan(20);
  });

  it('is checked by a kubeconform that refuses an invalid object', () => {
    const broken = rendered.replace(/^(spec:\n\s+)replicas: 1$/m, '$1replicas: "one"');
    expect(broken).not.toBe(rendered);
    const check = kubeconform(broken);
    expect(check.status).not.toBe(0);
    expect(check.stdout).toContain('/spec/replicas');
  });

  it.each(['inference-gateway', 'monitor'])('scales %s with a HorizontalPodAutoscaler and keeps one pod through disruptions', (service) => {
    const hpa = named('HorizontalPodAutoscaler', `mlops-${service}`);
    expect(hpa?.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `mlops-${service}` });
    expect(hpa?.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    expect(named('PodDisruptionBudget', `mlops-${service}`)?.spec).toMatchObject({ minAvailable: 1 });
  });

  it.each(SERVICES)('gives %s probes that keep liveness off dependencies, resources, a PDB and its own credentials by reference', (service) => {
    const deployment = named('Deployment', `mlops-${service}`);
    const [container] = deployment?.spec?.template?.spec.containers ?? [];
    expect(container.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(container.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    expect(named('PodDisruptionBudget', `mlops-${service}`)?.spec?.selector?.matchLabels?.['app.kubernetes.io/component']).toBe(service);

    const env = new Map((container.env ?? []).map((v) => [v.name, v]));
    expect(env.get('MLOPS_KAFKA_USERNAME')?.value).toBe(service);
    expect(env.get('MLOPS_S3_ACCESS_KEY')?.value).toBe(service);
    const credentials = `mlops-${service}-credentials`;
    for (const [variable, key] of [['MLOPS_KAFKA_PASSWORD', 'kafka-password'], ['MLOPS_POSTGRES_URL', 'postgres-url'], ['MLOPS_S3_SECRET_KEY', 's3-secret-key']]) {
      expect({ variable, ref: env.get(variable)?.valueFrom?.secretKeyRef, value: env.get(variable)?.value }).toEqual({ variable, ref: { name: credentials, key }, value: undefined });
    }
    expect(env.get('MLOPS_SERVICE_API_KEY')?.valueFrom?.secretKeyRef).toEqual({ name: 'mlops-api-keys', key: `${service}.key` });
    const secret = named('Secret', credentials);
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(['kafka-password', 'postgres-password', 'postgres-url', 's3-secret-key']);
    const password = Buffer.from(secret?.data?.['postgres-password'] ?? '', 'base64').toString();
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Buffer.from(secret?.data?.['postgres-url'] ?? '', 'base64').toString()).toBe(
      `postgres://mlops_${service.replaceAll('-', '_')}:${password}@mlops-postgres-rw.postgres.svc:5432/mlops`,
    );
  });

  it("gives the gateway's prediction-log spool an emptyDir sized just above the spool's own bound", () => {
    const pod = named('Deployment', 'mlops-inference-gateway')?.spec?.template?.spec;
    const [container] = pod?.containers ?? [];
    const env = new Map((container.env ?? []).map((v) => [v.name, v.value]));
    const dir = env.get('MLOPS_GATEWAY_PREDICTION_SPOOL_DIR');
    const maxBytes = Number(env.get('MLOPS_GATEWAY_PREDICTION_SPOOL_MAX_BYTES'));
    const mount = container.volumeMounts?.find((m) => m.mountPath === dir);
    const sizeLimit = Number(pod?.volumes?.find((v) => v.name === mount?.name)?.emptyDir?.sizeLimit);
    expect(maxBytes).toBeGreaterThan(0);
    expect(sizeLimit).toBeGreaterThan(maxBytes);
    expect(sizeLimit).toBeLessThanOrEqual(maxBytes * 1.25);
  });

  it('writes no generated credential anywhere but in its Secrets', () => {
    const generated = ofKind('Secret').flatMap((s) => Object.values(s.data ?? {}).map((b64) => Buffer.from(b64, 'base64').toString()));
    expect(generated.length).toBe(SERVICES.length * 4);
    const outsideSecrets = manifests.filter((m) => m.kind !== 'Secret').map((m) => JSON.stringify(m)).join('\n');
    for (const value of generated) expect(outsideSecrets.includes(value)).toBe(false);
    const inline = manifests.flatMap(containersOf).flatMap((container) =>
      (container.env ?? [])
        .filter((v) => v.value !== undefined && (isCredentialInline(v.name) || URL_WITH_PASSWORD.test(v.value)))
        .map((v) => `${container.name}: ${v.name}`),
    );
    expect(inline).toEqual([]);
  });

  it('provisions the engines in a hook Job: SCRAM users, provision.ts topics, ACLs and policies, MinIO users, Postgres roles', () => {
    const containers = ofKind('Job').filter((m) => m.metadata.name === 'mlops-provisioning').flatMap(containersOf);
    expect(containers.map((c) => c.name)).toEqual(['kafka-users', 'provision', 'minio-users', 'postgres-roles']);
    for (const container of containers) {
      expect({ container: container.name, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({ container: container.name, limits: ['cpu', 'memory'] });
    }
    const scripts = named('ConfigMap', 'mlops-provisioning-scripts');
    expect(Object.keys(scripts?.data ?? {}).sort()).toEqual(['kafka-users.sh', 'minio-users.sh', 'postgres-roles.sh']);
    expect(scripts?.data?.['kafka-users.sh']).toBe(readFileSync(join(repo, 'deploy/docker/provision/kafka-users.sh'), 'utf8').trimEnd());
  });
});
