import avro from 'avsc';
import type { AvroSchema } from './avro/schema-set.ts';

export interface CompatibilityProblem {
  readonly event: string;
  readonly reader: number;
  readonly writer: number;
  readonly direction: 'backward' | 'forward';
  readonly reason: string;
}

/**
 * Every version must read every earlier version's data (backward) and every
 * earlier version must read its data (forward), so producers and consumers
 * can be upgraded in any order.
 */
export function checkCompatibility(
  sources: Readonly<Record<string, Readonly<Record<number, AvroSchema>>>>,
): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  for (const [event, versions] of Object.entries(sources)) {
    const types = Object.entries(versions)
      .map(([version, schema]) => ({ version: Number(version), type: avro.Type.forSchema(schema) }))
      .sort((a, b) => a.version - b.version);
    for (const newer of types) {
      for (const older of types.filter((candidate) => candidate.version < newer.version)) {
        const pairs = [
          { reader: newer, writer: older, direction: 'backward' as const },
          { reader: older, writer: newer, direction: 'forward' as const },
        ];
        for (const { reader, writer, direction } of pairs) {
          try {
            reader.type.createResolver(writer.type);
          } catch (error) {
            problems.push({
              event,
              reader: reader.version,
              writer: writer.version,
              direction,
              reason: (error as Error).message,
            });
          }
        }
      }
    }
  }
  return problems;
}
