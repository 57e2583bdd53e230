import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('trainer');
