import { loadConfig } from '@paxfleet/core';
import { createKafka, kafkaConfig, kafkaConnectionFromConfig } from '@paxfleet/kafka';
import { TopicConfigAdmin } from '@paxfleet/kafka/topic-configs';
import { eventRegistry } from '../registry.ts';
import { applyCatalog } from '../topic-admin.ts';

// Applies schemas/topics.json to the cluster in KAFKA_BROKERS: creates missing
// topics, updates configs, and reports partition counts it cannot change. With
// KAFKA_NAMESPACE, the namespace's topics (<namespace>.<topic>).
const config = loadConfig(kafkaConfig, process.env);
const connection = kafkaConnectionFromConfig(config, 'paxfleet-topics');
const admin = createKafka(connection).admin();
const configs = new TopicConfigAdmin(connection);
await admin.connect();
try {
  const cluster = await configs.cluster();
  const report = await applyCatalog(admin, configs, eventRegistry().catalog, {
    ...cluster,
    ...(config.KAFKA_NAMESPACE !== undefined && { namespace: config.KAFKA_NAMESPACE }),
  });
  for (const topic of report.created) console.log(`created   ${topic}`);
  for (const { topic, configs: changed } of report.updated)
    console.log(`updated   ${topic} (${changed.join(', ')})`);
  for (const topic of report.unchanged) console.log(`unchanged ${topic}`);
  for (const { topic, catalog, cluster: actual } of report.partitionMismatches) {
    console.warn(
      `WARNING   ${topic} has ${actual} partitions, the catalog says ${catalog}; change it by hand (more partitions move keys)`,
    );
  }
  console.log(
    `topics: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged on ${cluster.brokerCount} broker(s)`,
  );
} finally {
  await admin.disconnect();
  await configs.close();
}
