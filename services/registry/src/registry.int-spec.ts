import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('registry');
