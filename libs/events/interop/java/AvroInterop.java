import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * The Apache Avro Java library's view of paxfleet's schemas and records, for
 * libs/events/src/avro/java-interop.java.spec.ts.
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
    } else {
      System.err.println(
          "usage: AvroInterop fingerprint <schema.avsc>... | reencode <reader.avsc> [<writer.avsc>...]");
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
}
