import { KafkaErrors, type Consumer, type Producer } from './client.ts';

/** A consumer position to commit in a transaction, with metadata the group keeps beside it. */
export interface OffsetWithMetadata {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to consume. */
  readonly offset: number;
  /** Up to offset.metadata.max.bytes (4096 by default) of text; read back by Consumer.committed(). */
  readonly metadata: string;
}

interface NativeProducer {
  sendOffsetsToTransaction(
    offsets: { topic: string; partition: number; offset: number; metadata: string }[],
    consumer: unknown,
    timeoutMs: number,
    callback: (error: unknown) => void,
  ): void;
}

interface WithNativeClient {
  _getInternalClient(): unknown;
}

/**
 * sendOffsets with metadata per partition, in the open transaction, with the consumer's
 * group metadata (so a stale generation is fenced). The KafkaJS-style sendOffsets of the
 * client drops metadata; its native producer passes it through to librdkafka.
 */
export function sendOffsetsWithMetadata(
  producer: Producer,
  consumer: Consumer,
  offsets: readonly OffsetWithMetadata[],
  timeoutMs = 30_000,
): Promise<void> {
  const native = (producer as unknown as WithNativeClient)._getInternalClient() as NativeProducer;
  const nativeConsumer = (consumer as unknown as WithNativeClient)._getInternalClient();
  return new Promise((resolve, reject) => {
    native.sendOffsetsToTransaction(
      offsets.map(({ topic, partition, offset, metadata }) => ({
        topic,
        partition,
        offset,
        metadata,
      })),
      nativeConsumer,
      timeoutMs,
      (error) => {
        if (!error) return resolve();
        // As the client's own sendOffsets reports it: abortable, fatal and retriable flags kept.
        const native = error as Error & {
          code?: number;
          isTxnRequiresAbort?: boolean;
          isFatal?: boolean;
          isRetriable?: boolean;
        };
        reject(
          new KafkaErrors.KafkaJSError(native, {
            abortable: native.isTxnRequiresAbort === true,
            fatal: native.isFatal === true,
            retriable: native.isRetriable === true,
            ...(native.code !== undefined && { code: native.code }),
          }),
        );
      },
    );
  });
}
