import { checkNamespace, namespaced, withoutNamespace } from '@paxfleet/kafka';
import { SchemaSet } from './avro/schema-set.ts';
import { parseCatalog, type TopicCatalog, type TopicSpec } from './catalog.ts';
import { EventCodec } from './codec.ts';
import { EventsError } from './errors.ts';
import {
  catalogSource,
  schemaSources,
  type EventTypes,
  type TopicName,
  type TopicValues,
} from './generated/events.ts';

export interface EventRegistryOptions {
  /**
   * The Kafka namespace (KAFKA_NAMESPACE) the fleet runs in: the catalog's topic `name` is
   * `<namespace>.name` on the cluster, and so are consumer groups and transactional ids.
   */
  readonly namespace?: string;
}

/**
 * The schemas and the topic catalog this build was generated from, with a codec per topic,
 * and the Kafka namespace the process runs in. Code names topics as the catalog does
 * (`research-events`) everywhere; only where a record meets Kafka (producing, subscribing,
 * reading, committing offsets) does physicalTopic give the name on the cluster, and
 * logicalTopic turns a consumed record's topic back into the catalog's.
 */
export class EventRegistry {
  readonly schemas: SchemaSet;
  readonly catalog: TopicCatalog;
  /** Undefined for the live fleet, whose names are the catalog's own. */
  readonly namespace: string | undefined;
  readonly #codecs = new Map<string, EventCodec<unknown>>();

  constructor(
    schemas = new SchemaSet(schemaSources),
    catalog = parseCatalog(catalogSource, schemas),
    options: EventRegistryOptions = {},
  ) {
    this.schemas = schemas;
    this.catalog = catalog;
    this.namespace =
      options.namespace === undefined ? undefined : checkNamespace(options.namespace);
  }

  /** The same schemas and catalog in another namespace (undefined: the live names). */
  inNamespace(namespace: string | undefined): EventRegistry {
    return new EventRegistry(
      this.schemas,
      this.catalog,
      namespace === undefined ? {} : { namespace },
    );
  }

  /** The topic's name on the cluster: `<namespace>.<topic>`, or the catalog's name without a namespace. */
  physicalTopic(topic: string): string {
    return namespaced(this.namespace, topic);
  }

  /** The catalog's name of a topic on the cluster; throws TOPIC_NOT_IN_NAMESPACE for one outside the namespace. */
  logicalTopic(physical: string): string {
    const topic = withoutNamespace(this.namespace, physical);
    if (topic === undefined) {
      throw new EventsError(
        'TOPIC_NOT_IN_NAMESPACE',
        `topic "${physical}" is not in the namespace "${this.namespace}"`,
        { details: { topic: physical, namespace: this.namespace } },
      );
    }
    return topic;
  }

  /** A consumer group or transactional id as the cluster knows it: `<namespace>.<id>`, or the id itself. */
  physicalId(id: string): string {
    return namespaced(this.namespace, id);
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
const namespaces = new Map<string, EventRegistry>();

/**
 * The registry of the schemas in this build, parsed once on first use; in the namespace,
 * if one is given (one registry per namespace, sharing the schemas and the catalog).
 */
export function eventRegistry(options: EventRegistryOptions = {}): EventRegistry {
  shared ??= new EventRegistry();
  const { namespace } = options;
  if (namespace === undefined) return shared;
  let registry = namespaces.get(namespace);
  if (!registry) {
    registry = shared.inNamespace(namespace);
    namespaces.set(namespace, registry);
  }
  return registry;
}
