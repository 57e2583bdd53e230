export * from './permissions';
export * from './principal';
export * from './route-permission.decorator';
