import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingSchedules1763900000700 implements MigrationInterface {
  name = 'TrainingSchedules1763900000700';

  async up(runner: QueryRunner): Promise<void> {
    // next_fire_at is stored, not derived at each tick, so the instance that locks a due row decides its fate once.
    await runner.query(`
      CREATE TABLE trainer.training_schedules (
        model_name text PRIMARY KEY,
        cron text NOT NULL,
        request_template jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        next_fire_at timestamptz NOT NULL,
        last_fired_at timestamptz,
        last_request_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX training_schedules_due ON trainer.training_schedules (next_fire_at) WHERE enabled`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trainer.training_schedules`);
  }
}
