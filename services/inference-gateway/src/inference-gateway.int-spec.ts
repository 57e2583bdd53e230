import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('inference-gateway');
