import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import org.apache.kafka.connect.json.JsonConverter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The Java side of avro-java-differential.test.ts: Apicurio's port of Confluent's AvroData, driven by JSON lines on
 * stdin ({"dir":"toConnect","avro":text,"config":{...}}, {"dir":"fromConnect","connect":JsonConverter schema JSON} or
 * {"dir":"write","envelope":JsonConverter envelope} or {"dir":"read","avro":text,"body":hex}); one line out per line
 * in: the Connect schema as JsonConverter's JSON, the Avro schema text, the Avro body in hex, the Connect data read as
 * a JsonConverter envelope, or "ERROR ...".
 */
public class AvroDataReference {
  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    JsonConverter json = new JsonConverter();
    Map<String, Object> jc = new HashMap<>();
    jc.put("schemas.enable", "true");
    json.configure(jc, false);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String line;
    while ((line = in.readLine()) != null) {
      JsonNode req = mapper.readTree(line);
      AvroDataConfig.Builder b = new AvroDataConfig.Builder();
      Iterator<Map.Entry<String, JsonNode>> it = req.path("config").fields();
      while (it.hasNext()) { Map.Entry<String, JsonNode> e = it.next(); b.with(e.getKey(), e.getValue().asText()); }
      AvroData avroData = new AvroData(b.build());
      try {
        if (req.get("dir").asText().equals("read")) {
          org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(req.get("avro").asText());
          String hexBody = req.get("body").asText();
          byte[] body = new byte[hexBody.length() / 2];
          for (int i = 0; i < body.length; i++) body[i] = (byte) Integer.parseInt(hexBody.substring(2 * i, 2 * i + 2), 16);
          Object datum;
          if (avro.getType() == org.apache.avro.Schema.Type.BYTES) {
            datum = java.nio.ByteBuffer.wrap(body);
          } else {
            org.apache.avro.io.BinaryDecoder decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(body, null);
            datum = new org.apache.avro.generic.GenericDatumReader<Object>(avro).read(null, decoder);
          }
          org.apache.kafka.connect.data.SchemaAndValue data = avroData.toConnectData(avro, datum);
          System.out.println(new String(json.fromConnectData("t", data.schema(), data.value()), java.nio.charset.StandardCharsets.UTF_8));
        } else if (req.get("dir").asText().equals("write")) {
          byte[] envelope = req.get("envelope").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          org.apache.kafka.connect.data.SchemaAndValue data = json.toConnectData("t", envelope);
          org.apache.avro.Schema avro = avroData.fromConnectSchema(data.schema());
          Object value = avroData.fromConnectData(data.schema(), data.value());
          if (value instanceof io.apicurio.registry.serde.avro.NonRecordContainer) {
            value = ((io.apicurio.registry.serde.avro.NonRecordContainer) value).getValue();
          }
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          if (avro.getType() == org.apache.avro.Schema.Type.BYTES) {
            java.nio.ByteBuffer buffer = (java.nio.ByteBuffer) value;
            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
          } else {
            org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
            new org.apache.avro.generic.GenericDatumWriter<Object>(avro).write(value, encoder);
            encoder.flush();
          }
          StringBuilder hex = new StringBuilder();
          for (byte x : out.toByteArray()) hex.append(String.format("%02x", x));
          System.out.println(hex);
        } else if (req.get("dir").asText().equals("toConnect")) {
          org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(req.get("avro").asText());
          org.apache.kafka.connect.data.Schema connect = avroData.toConnectSchema(avro);
          System.out.println(json.asJsonSchema(connect).toString());
        } else {
          org.apache.kafka.connect.data.Schema connect = json.asConnectSchema(mapper.readTree(req.get("connect").asText()));
          System.out.println(avroData.fromConnectSchema(connect).toString());
        }
      } catch (Throwable t) {
        System.out.println("ERROR " + t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' '));
      }
    }
  }
}
