export { Archiver, archivedEnd, type ArchiverOptions } from './archiver.ts';
export { archiverConfig, archiverServiceConfig, type ArchiverConfig } from './config.ts';
export { PartitionBuffer } from './partition-buffer.ts';
