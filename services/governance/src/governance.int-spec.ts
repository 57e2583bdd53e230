import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('governance');
