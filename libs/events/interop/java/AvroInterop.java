import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * The Apache Avro Java library's view of paxfleet's schemas and records, for
 * libs/events/src/avro/java-interop.java.spec.ts, and of archive objects, for
 * libs/archive/src/archive-object.java.spec.ts.
 *
 *   fingerprint <schema.avsc>...
 *     one line per schema: its CRC-64-AVRO fingerprint (16 hex digits, as Java
 *     computes it) and its Parsing Canonical Form
 *   reencode <reader.avsc> [<writer.avsc>...]
 *     stdin: one single-object encoded message per line, in hex. Each is decoded
 *     with BinaryMessageDecoder (the writer found by fingerprint among the reader
 *     and the given writers, resolved into the reader), then encoded again with
 *     BinaryMessageEncoder and the reader schema. stdout: the new message in hex,
 *     or "error <message>", one line per input line.
 *   archive-read <object.avro>
 *     an archive object (libs/archive) read with DataFileReader and
 *     GenericDatumReader, the timestamp-millis conversion registered. stdout: one
 *     JSON document (ASCII, other characters escaped): the writer schema as
 *     Java prints it, the rest of the metadata (avro.codec, paxfleet.*) as UTF-8,
 *     the timestamp field's logical type, how many blocks, and every record (longs
 *     as decimal strings, bytes as hex, the timestamp's Java class and ISO form).
 *   archive-write <schema.avsc> <object.avro>
 *     writes an object container file of that schema with DataFileWriter (deflate,
 *     a block every 64 records) and the paxfleet.* metadata of the records. stdin:
 *     one record a line, tab-separated: topic (UTF-8 hex), partition, offset,
 *     timestamp (epoch ms), key and value (hex, "-" for null), headers (comma-
 *     separated key-hex:value-hex, "-" for a null value). stdout: "blocks <n>".
 */
public final class AvroInterop {
  private AvroInterop() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 2 && args[0].equals("fingerprint")) {
      for (int i = 1; i < args.length; i++) {
        Schema schema = parse(args[i]);
        System.out.printf(
            "%016x %s%n",
            SchemaNormalization.parsingFingerprint64(schema),
            SchemaNormalization.toParsingForm(schema));
      }
    } else if (args.length >= 2 && args[0].equals("reencode")) {
      reencode(parse(args[1]), writers(args));
    } else if (args.length == 2 && args[0].equals("archive-read")) {
      archiveRead(new File(args[1]));
    } else if (args.length == 3 && args[0].equals("archive-write")) {
      archiveWrite(parse(args[1]), new File(args[2]));
    } else {
      System.err.println(
          "usage: AvroInterop fingerprint <schema.avsc>... | reencode <reader.avsc> [<writer.avsc>...]"
              + " | archive-read <object.avro> | archive-write <schema.avsc> <object.avro>");
      System.exit(2);
    }
  }

  private static List<Schema> writers(String[] args) throws IOException {
    List<Schema> schemas = new ArrayList<>();
    for (int i = 2; i < args.length; i++) schemas.add(parse(args[i]));
    return schemas;
  }

  private static Schema parse(String path) throws IOException {
    return new Schema.Parser().parse(new File(path));
  }

  private static void reencode(Schema reader, List<Schema> writers) throws IOException {
    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), reader);
    for (Schema writer : writers) decoder.addSchema(writer);
    BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(GenericData.get(), reader);
    HexFormat hex = HexFormat.of();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      try {
        GenericRecord record = decoder.decode(hex.parseHex(line.trim()));
        ByteBuffer message = encoder.encode(record);
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        System.out.println(hex.formatHex(bytes));
      } catch (Exception error) {
        System.out.println("error " + String.valueOf(error.getMessage()).replace('\n', ' '));
      }
    }
  }

  /** Generic data that reads and writes timestamp-millis as java.time.Instant. */
  private static GenericData withTimestamps() {
    GenericData data = new GenericData();
    data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    return data;
  }

  private static void archiveRead(File file) throws IOException {
    HexFormat hex = HexFormat.of();
    GenericDatumReader<GenericRecord> datumReader =
        new GenericDatumReader<>(null, null, withTimestamps());
    try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file, datumReader)) {
      Schema schema = reader.getSchema();
      LogicalType timestampType = schema.getField("timestamp").schema().getLogicalType();
      StringBuilder metadata = new StringBuilder();
      for (String key : reader.getMetaKeys()) {
        if (key.equals("avro.schema")) continue;
        if (metadata.length() > 0) metadata.append(',');
        metadata.append(json(key)).append(':').append(json(reader.getMetaString(key)));
      }
      StringBuilder records = new StringBuilder();
      long blocks = 0;
      long block = -1;
      while (reader.hasNext()) {
        GenericRecord record = reader.next();
        if (reader.previousSync() != block) {
          block = reader.previousSync();
          blocks++;
        }
        Object timestamp = record.get("timestamp");
        long millis =
            timestamp instanceof Instant instant ? instant.toEpochMilli() : (Long) timestamp;
        StringBuilder headers = new StringBuilder();
        for (Object item : (List<?>) record.get("headers")) {
          GenericRecord header = (GenericRecord) item;
          if (headers.length() > 0) headers.append(',');
          headers
              .append("{\"key\":")
              .append(json(header.get("key").toString()))
              .append(",\"value\":")
              .append(bytes(hex, header.get("value")))
              .append('}');
        }
        if (records.length() > 0) records.append(',');
        records
            .append("{\"topic\":")
            .append(json(record.get("topic").toString()))
            .append(",\"partition\":")
            .append(json(String.valueOf((Integer) record.get("partition"))))
            .append(",\"offset\":")
            .append(json(String.valueOf((Long) record.get("offset"))))
            .append(",\"timestamp\":")
            .append(json(String.valueOf(millis)))
            .append(",\"timestampClass\":")
            .append(json(timestamp.getClass().getName()))
            .append(",\"timestampIso\":")
            .append(json(timestamp instanceof Instant ? timestamp.toString() : null))
            .append(",\"key\":")
            .append(bytes(hex, record.get("key")))
            .append(",\"value\":")
            .append(bytes(hex, record.get("value")))
            .append(",\"headers\":[")
            .append(headers)
            .append("]}");
      }
      System.out.println(
          "{\"schema\":"
              + json(schema.toString())
              + ",\"timestampLogicalType\":"
              + json(timestampType == null ? null : timestampType.getName())
              + ",\"metadata\":{"
              + metadata
              + "},\"blocks\":"
              + blocks
              + ",\"records\":["
              + records
              + "]}");
    }
  }

  private static String bytes(HexFormat hex, Object value) {
    if (value == null) return "null";
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return json(hex.formatHex(bytes));
  }

  /** A JSON string in ASCII (or null): every other character escaped. */
  private static String json(String value) {
    if (value == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c >= 0x20 && c < 0x7f) out.append(c);
      else out.append(String.format("\\u%04x", (int) c));
    }
    return out.append('"').toString();
  }

  private static void archiveWrite(Schema schema, File file) throws IOException {
    HexFormat hex = HexFormat.of();
    Schema headerSchema = schema.getField("headers").schema().getElementType();
    GenericData data = withTimestamps();
    List<GenericRecord> records = new ArrayList<>();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) continue;
      String[] fields = line.split("\t", -1);
      if (fields.length != 7) throw new IOException("7 tab-separated fields expected: " + line);
      GenericRecord record = new GenericData.Record(schema);
      record.put("topic", new String(hex.parseHex(fields[0]), StandardCharsets.UTF_8));
      record.put("partition", Integer.parseInt(fields[1]));
      record.put("offset", Long.parseLong(fields[2]));
      record.put("timestamp", Instant.ofEpochMilli(Long.parseLong(fields[3])));
      record.put("key", nullableBytes(hex, fields[4]));
      record.put("value", nullableBytes(hex, fields[5]));
      List<GenericRecord> headers = new ArrayList<>();
      if (!fields[6].isEmpty()) {
        for (String pair : fields[6].split(",", -1)) {
          int colon = pair.indexOf(':');
          GenericRecord header = new GenericData.Record(headerSchema);
          header.put(
              "key", new String(hex.parseHex(pair.substring(0, colon)), StandardCharsets.UTF_8));
          header.put("value", nullableBytes(hex, pair.substring(colon + 1)));
          headers.add(header);
        }
      }
      record.put("headers", headers);
      records.add(record);
    }
    if (records.isEmpty()) throw new IOException("no records on stdin");
    GenericRecord first = records.get(0);
    GenericRecord last = records.get(records.size() - 1);
    long blocks = 0;
    try (DataFileWriter<GenericRecord> writer =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema, data))) {
      writer.setCodec(CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL));
      writer.setMeta("paxfleet.topic", first.get("topic").toString());
      writer.setMeta("paxfleet.partition", String.valueOf(first.get("partition")));
      writer.setMeta("paxfleet.first_offset", String.valueOf(first.get("offset")));
      writer.setMeta("paxfleet.last_offset", String.valueOf(last.get("offset")));
      writer.create(schema, file);
      for (int i = 0; i < records.size(); i++) {
        writer.append(records.get(i));
        if ((i + 1) % 64 == 0 || i == records.size() - 1) {
          writer.sync();
          blocks++;
        }
      }
    }
    System.out.println("blocks " + blocks);
  }

  private static ByteBuffer nullableBytes(HexFormat hex, String field) {
    return field.equals("-") ? null : ByteBuffer.wrap(hex.parseHex(field));
  }
}
