import { MigrationInterface, QueryRunner } from 'typeorm';

export class MonitorState1765000000100 implements MigrationInterface {
  name = 'MonitorState1765000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE monitor.reference_profiles (
        model_name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        source text NOT NULL CHECK (source IN ('trainer', 'dataset')),
        profile_uri text NOT NULL,
        profile jsonb NOT NULL,
        baseline jsonb NOT NULL DEFAULT '{}'::jsonb,
        task text NOT NULL CHECK (task IN ('classification', 'regression')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, version)
      )`);
    await runner.query(`
      CREATE TABLE monitor.policies (
        model_name text PRIMARY KEY,
        policy jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The stream's state, one row per open window, detector, rollout and the rest; written with the offsets below.
    await runner.query(`CREATE TABLE monitor.stream_state (key text PRIMARY KEY, value jsonb NOT NULL)`);
    await runner.query(`
      CREATE TABLE monitor.stream_offsets (
        topic text NOT NULL,
        partition integer NOT NULL,
        next_offset bigint NOT NULL,
        join_from_offset bigint,
        PRIMARY KEY (topic, partition)
      )`);
    await runner.query(`
      CREATE TABLE monitor.drift_results (
        window_id text PRIMARY KEY,
        model_name text NOT NULL,
        version integer NOT NULL,
        role text NOT NULL,
        from_ts timestamptz NOT NULL,
        to_ts timestamptz NOT NULL,
        rows bigint NOT NULL,
        result jsonb NOT NULL,
        drifted boolean NOT NULL,
        evaluated_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX drift_results_model ON monitor.drift_results (model_name, evaluated_at DESC)`);
    await runner.query(`
      CREATE TABLE monitor.performance_results (
        window_id text PRIMARY KEY,
        model_name text NOT NULL,
        version integer NOT NULL,
        role text NOT NULL,
        from_ts timestamptz NOT NULL,
        to_ts timestamptz NOT NULL,
        rows bigint NOT NULL,
        estimated jsonb,
        realised jsonb,
        labelled integer NOT NULL DEFAULT 0,
        joinable integer NOT NULL DEFAULT 0,
        baseline jsonb,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX performance_results_model ON monitor.performance_results (model_name, from_ts DESC)`);
    await runner.query(`
      CREATE TABLE monitor.rollout_verdicts (
        id bigserial PRIMARY KEY,
        model_name text NOT NULL,
        champion_version integer NOT NULL,
        challenger_version integer NOT NULL,
        verdict text NOT NULL,
        reason text NOT NULL,
        evidence jsonb NOT NULL,
        from_ts timestamptz NOT NULL,
        to_ts timestamptz NOT NULL,
        decided_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX rollout_verdicts_model ON monitor.rollout_verdicts (model_name, decided_at DESC)`);
    // The last training request seen per model: the recipe a retraining repeats.
    await runner.query(`
      CREATE TABLE monitor.training_recipes (
        model_name text PRIMARY KEY,
        request jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE monitor.training_runs (
        request_id text PRIMARY KEY,
        model_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('requested', 'completed', 'failed')),
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX training_runs_model ON monitor.training_runs (model_name, updated_at DESC)`);
    await runner.query(`
      CREATE TABLE monitor.retraining_decisions (
        id bigserial PRIMARY KEY,
        model_name text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('requested', 'suppressed')),
        reason text NOT NULL,
        cause jsonb NOT NULL,
        training_request_id text,
        decided_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX retraining_decisions_model ON monitor.retraining_decisions (model_name, decided_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'retraining_decisions', 'training_runs', 'training_recipes', 'rollout_verdicts', 'performance_results',
      'drift_results', 'stream_offsets', 'stream_state', 'policies', 'reference_profiles',
    ]) {
      await runner.query(`DROP TABLE monitor.${table}`);
    }
  }
}
