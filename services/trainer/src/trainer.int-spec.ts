import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('trainer', { variable: 'MLOPS_TRAINER_MAX_ATTEMPTS', bad: 'zero' });
