import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('registry', { variable: 'MLOPS_REGISTRY_MAX_ARTIFACT_BYTES', bad: '-1' });
