// The reference consume-transform-produce loop for paxfleet's throughput benchmark:
// Kafka's own Java client (the kafka-clients jar the local broker ships), a
// KafkaConsumer and a transactional KafkaProducer, one transaction per poll of at
// most <records per transaction> records, offsets sent with the group metadata.
// Each output is the input's key and value, so the work per record is the client's.
//
//   java -cp <kafka jars>:<classes> EosLoop <brokers> <input> <output> <group> <transactional id> <records> <records per transaction>
//
// Prints one line: "java-eos <records> records in <seconds> s, <records/s> records/s".
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class EosLoop {
  public static void main(String[] args) {
    String brokers = args[0];
    String input = args[1];
    String output = args[2];
    long total = Long.parseLong(args[5]);
    int perTransaction = Integer.parseInt(args[6]);

    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(perTransaction));
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, args[4]);
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Its best settings, as paxfleet's: no linger, a short backoff for CONCURRENT_TRANSACTIONS.
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    producerProps.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");

    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      consumer.subscribe(List.of(input));
      long done = 0;
      long first = 0;
      long last = 0;
      while (done < total) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) continue;
        if (first == 0) first = System.nanoTime();
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          producer.send(new ProducerRecord<>(output, record.key(), record.value()));
          offsets.put(
              new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
        done += records.count();
        last = System.nanoTime();
      }
      double seconds = (last - first) / 1e9;
      System.out.printf(
          "java-eos %d records in %.2f s, %d records/s%n", done, seconds, Math.round(done / seconds));
    }
  }
}
