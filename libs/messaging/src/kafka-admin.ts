import type { Admin, Kafka } from 'kafkajs';

/** Runs `use` on a connected admin client and disconnects it however `use` ends. */
export async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}
