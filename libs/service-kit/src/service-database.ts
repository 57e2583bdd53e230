import { DataSource, MigrationInterface } from 'typeorm';
import type { PlatformConfig } from '@mlops/config';

export type MigrationClass = new () => MigrationInterface;

/** One schema per service; its tables come only from migrations (never `synchronize`). */
export function createServiceDataSource(config: PlatformConfig, migrations: MigrationClass[]): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.postgres.url,
    schema: config.postgres.schema,
    poolSize: config.postgres.poolSize,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    applicationName: `mlops-${config.service}`,
    // Also bounds the wait for a free pooled connection, so it must outlast a burst of busy connections.
    connectTimeoutMS: 10000,
  });
}

/**
 * Several replicas may start at once: an advisory lock per schema makes exactly one of them apply pending
 * migrations while the others wait and then find nothing left to do.
 */
export async function runMigrationsExclusively(dataSource: DataSource, schema: string): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [schema]);
    // The schema exists when the platform provisioned the service's role as its owner; a service role may not create
    // schemas, and CREATE SCHEMA IF NOT EXISTS checks that privilege even when the schema is there.
    const [{ present }] = await runner.query('SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1) AS present', [schema]);
    if (!present) await runner.query(`CREATE SCHEMA "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.length;
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [schema]).catch(() => undefined);
    await runner.release();
  }
}

/** The service's data source connected and migrated, as a test or a tool working on the service's schema needs it. */
export async function openMigratedDataSource(config: PlatformConfig, migrations: MigrationClass[]): Promise<DataSource> {
  const dataSource = createServiceDataSource(config, migrations);
  await dataSource.initialize();
  await runMigrationsExclusively(dataSource, config.postgres.schema);
  return dataSource;
}
