import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as S3 } from 'minio';
import { Client as Postgres } from 'pg';
import { freePort, waitFor } from '@mlops/testing';

// The provisioning scripts Compose's jobs and the Helm chart's Job run (deploy/docker/provision), against a
// PostgreSQL and a MinIO of this spec's own, on free loopback ports, never the shared ones: each service ends up
// able to do its work and nothing else, and a second run changes nothing. The engines' binaries are those
// deploy/local/infra installed. (kafka-users.sh needs the apache/kafka image's tools; its broker side is the
// same SCRAM and ACL setup deploy/local/infra runs and the platform-security spec checks.)

const repo = join(__dirname, '..');
// Three services are enough to see each held to its own; every mc or psql call costs a process start.
const SERVICES = ['registry', 'inference-gateway', 'monitor'];
const ADMIN_PASSWORD = 'admin-password-of-this-spec';
const servicePassword = (engine: string, service: string): string => `${engine}-${service}-password-of-this-spec`;

const work = mkdtempSync(join(tmpdir(), 'provisioning-'));
const secrets = join(work, 'secrets');
const asRoot = process.getuid?.() === 0;

function sh(command: string, args: string[], env: NodeJS.ProcessEnv = {}, asPostgres = false): string {
  const [cmd, argv] = asPostgres && asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  return join('/usr/lib/postgresql', versions[versions.length - 1], 'bin');
}

const minioBin = join(process.env.MLOPS_CACHE ?? join(homedir(), '.cache/mlops'), 'bin');

let pgPort: number;
let s3Port: number;
let minio: ChildProcess | undefined;

async function startPostgres(): Promise<void> {
  const data = join(work, 'postgres');
  pgPort = await freePort();
  writeFileSync(join(work, 'pwfile'), ADMIN_PASSWORD);
  if (asRoot) for (const path of [work, join(work, 'pwfile')]) chownSync(path, Number(sh('id', ['-u', 'postgres'])), 0);
  sh(join(postgresBin(), 'initdb'), ['-D', data, '-U', 'mlops', `--pwfile=${join(work, 'pwfile')}`, '--auth-host=scram-sha-256', '--auth-local=trust'], {}, true);
  sh(join(postgresBin(), 'pg_ctl'), ['-D', data, '-l', join(work, 'postgres.log'), '-w', '-o', `-h 127.0.0.1 -p ${pgPort} -k ${work}`, 'start'], {}, true);
  sh(join(postgresBin(), 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'mlops', 'mlops'], { PGPASSWORD: ADMIN_PASSWORD });
}

async function startMinio(): Promise<void> {
  s3Port = await freePort();
  const consolePort = await freePort();
  minio = spawn(join(minioBin, 'minio'), ['server', join(work, 'minio'), '--address', `127.0.0.1:${s3Port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], {
    env: { ...process.env, MINIO_ROOT_USER: 'mlops-root', MINIO_ROOT_PASSWORD: ADMIN_PASSWORD },
    stdio: 'ignore',
  });
  await waitFor('the spec minio', async () => (await fetch(`http://127.0.0.1:${s3Port}/minio/health/ready`)).ok, { timeoutMs: 30_000 });
}

function writeSecrets(): void {
  mkdirSync(secrets, { mode: 0o755 });
  writeFileSync(join(secrets, 'postgres-admin'), ADMIN_PASSWORD);
  writeFileSync(join(secrets, 'minio-root'), ADMIN_PASSWORD);
  for (const service of SERVICES) {
    writeFileSync(join(secrets, `postgres-${service}`), servicePassword('postgres', service));
    writeFileSync(join(secrets, `minio-${service}`), servicePassword('minio', service));
  }
}

const postgresRoles = (services: string[]): string =>
  sh('sh', ['deploy/docker/provision/postgres-roles.sh'], {
    SECRETS_DIR: secrets,
    PGHOST: '127.0.0.1',
    PGPORT: String(pgPort),
    PGUSER: 'mlops',
    PGDATABASE: 'mlops',
    MLOPS_SERVICES: services.join(' '),
  });

const minioUsers = (services: string[]): string =>
  sh('sh', ['deploy/docker/provision/minio-users.sh'], {
    PATH: `${minioBin}:${process.env.PATH}`,
    SECRETS_DIR: secrets,
    MLOPS_S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    MINIO_ROOT_USER: 'mlops-root',
    MLOPS_SERVICES: services.join(' '),
    POLICIES_DIR: join(work, 'policies'),
  });

beforeAll(async () => {
  writeSecrets();
  await Promise.all([startPostgres(), startMinio()]);
  // As Compose's provision job runs it: the policies from libs/storage's grants, no engine touched.
  sh('node', ['-r', '@swc-node/register', 'deploy/local/provision.ts', 'storage-policies', join(work, 'policies')], {
    MLOPS_KAFKA_USERNAME: 'admin',
    MLOPS_KAFKA_PASSWORD: 'unused',
    MLOPS_POSTGRES_URL: 'postgres://mlops@127.0.0.1:5432/mlops',
    MLOPS_S3_ACCESS_KEY: 'unused',
    MLOPS_S3_SECRET_KEY: 'unused',
  });
}, 120_000);

afterAll(() => {
  minio?.kill();
  if (existsSync(join(work, 'postgres', 'postmaster.pid'))) {
    sh(join(postgresBin(), 'pg_ctl'), ['-D', join(work, 'postgres'), '-m', 'fast', '-w', 'stop'], {}, true);
  }
  rmSync(work, { recursive: true, force: true });
});

describe('postgres-roles.sh', () => {
  const connect = async (user: string, password: string): Promise<Postgres> => {
    const client = new Postgres({ host: '127.0.0.1', port: pgPort, database: 'mlops', user, password });
    await client.connect();
    return client;
  };

  it('gives each service a login role that owns its schema and may create nowhere else, and runs again unchanged', async () => {
    expect(postgresRoles(SERVICES)).toContain('mlops_inference_gateway owns schema inference_gateway');
    expect(postgresRoles(['registry'])).toContain('mlops_registry owns schema registry');
    const registry = await connect('mlops_registry', servicePassword('postgres', 'registry'));
    try {
      await registry.query('CREATE TABLE registry.models (id int)');
      await expect(registry.query('CREATE TABLE inference_gateway.models (id int)')).rejects.toThrow('permission denied for schema inference_gateway');
      await expect(registry.query('CREATE TABLE public.models (id int)')).rejects.toThrow('permission denied for schema public');
    } finally {
      await registry.end();
    }
    await expect(connect('mlops_registry', 'not-its-password')).rejects.toThrow('password authentication failed');
  });
});

describe('minio-users.sh', () => {
  const as = (service: string): S3 =>
    new S3({ endPoint: '127.0.0.1', port: s3Port, useSSL: false, accessKey: service, secretKey: servicePassword('minio', service) });
  const put = (service: string, bucket: string, key: string): Promise<unknown> => as(service).putObject(bucket, key, Buffer.from('x'));

  it("makes the buckets and a user per service held to its prefixes, and runs again unchanged", async () => {
    expect(minioUsers(SERVICES)).toContain('inference-gateway may use its prefixes');
    expect(minioUsers(['registry'])).toContain('registry may use its prefixes');
    await put('registry', 'mlops-artifacts', 'models/m/1/model.onnx');
    await expect(put('registry', 'mlops-datasets', 'feature-store/x')).rejects.toThrow('Access Denied');
    const read = await as('inference-gateway').getObject('mlops-artifacts', 'models/m/1/model.onnx');
    read.resume();
    await expect(put('inference-gateway', 'mlops-artifacts', 'models/m/2/model.onnx')).rejects.toThrow('Access Denied');
    await put('monitor', 'mlops-reports', 'monitor/report.json');
  });
});
