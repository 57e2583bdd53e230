import { Module } from '@nestjs/common';
import { ModelVersionsController } from './list-model-versions/model-versions.controller';
import { ModelVersionRepository } from './model-versions/model-version.repository';
import { RegisterTrainedVersion } from './register-trained-version/register-trained-version.use-case';
import { TrainingCompletedSubscriber } from './register-trained-version/training-completed.subscriber';

@Module({
  controllers: [ModelVersionsController],
  providers: [ModelVersionRepository, RegisterTrainedVersion, TrainingCompletedSubscriber],
})
export class RegistryModule {}
