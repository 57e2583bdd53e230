export * from './model-lifecycle';
