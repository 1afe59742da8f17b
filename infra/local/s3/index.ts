export { applyLifecycle, startS3Server } from './server';
export type { S3Server, S3ServerOptions } from './server';
export type { LifecycleAction, LifecycleActionKind, LifecycleReport, LifecycleRule } from './lifecycle';
export type { Credentials } from './sigv4';
export { FAULT_KINDS, FaultSwitch } from './faults';
export type { FaultKind, FaultMatch, FaultSettings, FaultStats, InjectedFault } from './faults';
