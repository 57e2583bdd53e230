import { DynamicModule, Module } from '@nestjs/common';
import { AliasRepository } from './aliases/alias.repository';
import { AliasesController } from './aliases/aliases.controller';
import { ApplyRolloutDecision } from './apply-rollout-decision/apply-rollout-decision.use-case';
import { RolloutDecidedSubscriber } from './apply-rollout-decision/rollout-decided.subscriber';
import { DeployModel } from './deploy-model/deploy-model.use-case';
import { DeploymentsController } from './deploy-model/deployments.controller';
import { DeploymentRepository } from './deployments/deployment.repository';
import { DownloadArtifactController } from './download-artifact/download-artifact.controller';
import { ModelVersionsController } from './list-model-versions/model-versions.controller';
import { ModelsController } from './manage-models/models.controller';
import { RegisteredModelRepository } from './models/registered-model.repository';
import { ModelVersionRepository } from './model-versions/model-version.repository';
import { ApprovalDecidedSubscriber } from './record-approval/approval-decided.subscriber';
import { RecordApproval } from './record-approval/record-approval.use-case';
import { WithdrawRevokedVersion } from './record-approval/withdraw-revoked-version';
import { RegisterTrainedVersion } from './register-trained-version/register-trained-version.use-case';
import { VersionMetrics } from './model-versions/version-metrics';
import { TrainingCompletedSubscriber } from './register-trained-version/training-completed.subscriber';
import { REGISTRY_CONFIG, RegistryConfig } from './registry.config';
import { UploadVersionController } from './upload-version/upload-version.controller';
import { UploadVersion } from './upload-version/upload-version.use-case';

@Module({
  controllers: [
    ModelsController,
    UploadVersionController,
    ModelVersionsController,
    DownloadArtifactController,
    AliasesController,
    DeploymentsController,
  ],
  providers: [
    RegisteredModelRepository,
    ModelVersionRepository,
    AliasRepository,
    DeploymentRepository,
    RegisterTrainedVersion,
    VersionMetrics,
    TrainingCompletedSubscriber,
    RecordApproval,
    WithdrawRevokedVersion,
    ApprovalDecidedSubscriber,
    ApplyRolloutDecision,
    RolloutDecidedSubscriber,
    UploadVersion,
    DeployModel,
  ],
})
export class RegistryModule {
  /** With the registry's own settings, which main read once at start. */
  static withConfig(config: RegistryConfig): DynamicModule {
    return { module: RegistryModule, providers: [{ provide: REGISTRY_CONFIG, useValue: config }] };
  }
}
