import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('monitor');
