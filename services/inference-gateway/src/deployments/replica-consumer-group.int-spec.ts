import { Admin } from 'kafkajs';
import { waitFor } from '@mlops/testing';
import { GatewayHarness, testReplicaId, uniqueModelName } from '../testing/gateway-harness';

// Every replica reads deployment changes under a consumer group of its own. The group is named after the replica, not
// the start, and removed when the replica stops: restarts leave no orphan groups on the broker.

describe('inference gateway consumer group: one per replica, gone when it stops', () => {
  const replicaId = testReplicaId();
  const groupId = `mlops-inference-gateway-${replicaId}`;
  const model = uniqueModelName('gw-group');
  let first: GatewayHarness | undefined;
  let admin: Admin;

  const groups = async () => (await admin.listGroups()).groups.map((group) => group.groupId);

  beforeAll(async () => {
    first = await GatewayHarness.start({ MLOPS_GATEWAY_REPLICA_ID: replicaId });
    admin = first.kafka.admin();
    await admin.connect();
    await first.deploy({ modelName: model, revision: 1, champion: await first.upload(model, 1), challenger: null });
    await first.waitForRevision(model, 1);
  });

  afterAll(async () => {
    await admin?.disconnect();
    await first?.stop();
  });

  it('reads under the group named after the replica and refuses a second live replica of the same id', async () => {
    expect(await groups()).toContain(groupId);
    const twin = await GatewayHarness.start({ MLOPS_GATEWAY_REPLICA_ID: replicaId });
    try {
      await waitFor('the twin to refuse the shared group', async () => twin.gateway.logs().includes(`another gateway replica runs with replica id '${replicaId}'`));
    } finally {
      await twin.stop();
    }
  });

  it('deletes its group when it stops, and a restart under the same id reads every change again', async () => {
    await first?.stop();
    first = undefined;
    expect(await groups()).not.toContain(groupId);
    const again = await GatewayHarness.start({ MLOPS_GATEWAY_REPLICA_ID: replicaId });
    try {
      await again.waitForRevision(model, 1);
      expect(await groups()).toContain(groupId);
    } finally {
      await again.stop();
    }
    expect(await groups()).not.toContain(groupId);
  });
});
