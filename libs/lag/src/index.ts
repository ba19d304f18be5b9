export { LagError, type LagErrorCode } from './errors.ts';
export {
  ageSeconds,
  mayLag,
  partitionLag,
  resumePosition,
  type OldestRecord,
  type PartitionLag,
  type PartitionLagInput,
} from './lag.ts';
export { FirstRecordReader, type FirstRecordReaderOptions } from './first-record.ts';
export {
  KafkaLagSource,
  type KafkaLagSourceOptions,
  type LagSource,
  type PartitionEnds,
} from './kafka-source.ts';
export {
  ConsumerLagMonitor,
  type ConsumerLagMonitorOptions,
  type LagSnapshot,
  type PartitionEndRow,
  type PartitionLagRow,
} from './consumer-lag-monitor.ts';
