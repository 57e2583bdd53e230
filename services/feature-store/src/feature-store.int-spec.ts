import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('feature-store');
