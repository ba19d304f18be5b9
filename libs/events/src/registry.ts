import { SchemaSet } from './avro/schema-set.ts';
import { parseCatalog, type TopicCatalog, type TopicSpec } from './catalog.ts';
import { EventCodec } from './codec.ts';
import {
  catalogSource,
  schemaSources,
  type EventTypes,
  type TopicName,
  type TopicValues,
} from './generated/events.ts';

/** The schemas and the topic catalog this build was generated from, with a codec per topic. */
export class EventRegistry {
  readonly schemas: SchemaSet;
  readonly catalog: TopicCatalog;
  readonly #codecs = new Map<string, EventCodec<unknown>>();

  constructor(
    schemas = new SchemaSet(schemaSources),
    catalog = parseCatalog(catalogSource, schemas),
  ) {
    this.schemas = schemas;
    this.catalog = catalog;
  }

  topic(name: string): TopicSpec {
    return this.catalog.topic(name);
  }

  codecForTopic<K extends TopicName>(topic: K): EventCodec<TopicValues[K]> {
    return this.codecForEvent(
      this.catalog.topic(topic).valueSchema as keyof EventTypes,
    ) as EventCodec<TopicValues[K]>;
  }

  codecForEvent<E extends keyof EventTypes>(event: E): EventCodec<EventTypes[E]> {
    let codec = this.#codecs.get(event);
    if (!codec) {
      codec = new EventCodec<unknown>(this.schemas, event);
      this.#codecs.set(event, codec);
    }
    return codec as EventCodec<EventTypes[E]>;
  }
}

let shared: EventRegistry | undefined;

/** The registry of the schemas in this build, parsed once on first use. */
export function eventRegistry(): EventRegistry {
  shared ??= new EventRegistry();
  return shared;
}
