/*
 * The benchmark's source connector for Apache Kafka Connect (ours, written for the benchmark; its TypeScript twin is
 * bench/connect/plugin/). Both read the same file of JSON orders, one per line, and emit one record per line:
 *
 *   key    the order id (STRING schema)
 *   value  schemas=false: the order as a schemaless Map, parsed by JsonConverter (schemas.enable=false), exactly
 *          what a Java user would get from JSON without a schema;
 *          schemas=true:  the order as a Struct of the datagen `orders` shape (built from that Map)
 *
 * Task i of n reads the lines whose index % n == i, so n tasks split the file without coordination; each task has
 * its own source partition {file, task} and commits the next line index as its offset.
 *
 * Config: file, topic, batch.size (records per poll, default 2000), schemas (default false), rate (records per
 * second per task, default 0: as fast as it can; the failover benchmark uses a steady rate to see pauses).
 */
package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

public class OrdersFileSourceConnector extends SourceConnector {
    static final String VERSION = "1.0.0";

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return OrdersFileSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> config = new HashMap<>(props);
            config.put("task.index", Integer.toString(i));
            config.put("task.count", Integer.toString(maxTasks));
            configs.add(config);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef()
            .define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "File of JSON orders, one per line.")
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to.")
            .define("batch.size", ConfigDef.Type.INT, 2000, ConfigDef.Importance.LOW, "Records per poll.")
            .define("schemas", ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW, "Emit Structs with a schema.")
            .define("rate", ConfigDef.Type.INT, 0, ConfigDef.Importance.LOW, "Records per second per task; 0: unlimited.");
    }

    /** The datagen `orders` shape (plugins/datagen/shapes/orders-shape.ts), field for field. */
    static final Schema ADDRESS = SchemaBuilder.struct().name("io.sluice.connect.datagen.Address")
        .field("street", Schema.STRING_SCHEMA).field("city", Schema.STRING_SCHEMA)
        .field("zip", Schema.STRING_SCHEMA).field("country", Schema.STRING_SCHEMA).build();
    static final Schema CUSTOMER = SchemaBuilder.struct().name("io.sluice.connect.datagen.Customer")
        .field("id", Schema.INT64_SCHEMA).field("name", Schema.STRING_SCHEMA)
        .field("email", Schema.STRING_SCHEMA).field("address", ADDRESS).build();
    static final Schema ITEM = SchemaBuilder.struct().name("io.sluice.connect.datagen.OrderItem")
        .field("sku", Schema.STRING_SCHEMA).field("qty", Schema.INT32_SCHEMA)
        .field("price", Schema.FLOAT64_SCHEMA).build();
    static final Schema ORDER = SchemaBuilder.struct().name("io.sluice.connect.datagen.Order")
        .field("order_id", Schema.STRING_SCHEMA).field("customer", CUSTOMER)
        .field("items", SchemaBuilder.array(ITEM).build()).field("total", Schema.FLOAT64_SCHEMA)
        .field("currency", Schema.STRING_SCHEMA).field("created_at", Schema.INT64_SCHEMA)
        .field("status", Schema.STRING_SCHEMA).build();

    public static class OrdersFileSourceTask extends SourceTask {
        private final JsonConverter parser = new JsonConverter();
        private String topic;
        private int batchSize;
        private boolean schemas;
        private int rate;
        /** System.nanoTime() of the first poll and records sent since: the rate limit's schedule. */
        private long pacedSince = -1;
        private long sent;
        private int index;
        private int count;
        private Map<String, Object> partition;
        private InputStream in;
        private byte[] buffer = new byte[1 << 20];
        private int start;
        private int end;
        private boolean eof;
        private int lineStart;
        private int lineEnd;
        /** Index of the next line to be read from the file (all tasks' lines counted). */
        private long line;

        @Override
        public String version() {
            return VERSION;
        }

        @Override
        public void start(Map<String, String> props) {
            parser.configure(Map.of("schemas.enable", "false"), false);
            topic = props.get("topic");
            batchSize = Integer.parseInt(props.getOrDefault("batch.size", "2000"));
            schemas = Boolean.parseBoolean(props.getOrDefault("schemas", "false"));
            rate = Integer.parseInt(props.getOrDefault("rate", "0"));
            index = Integer.parseInt(props.getOrDefault("task.index", "0"));
            count = Integer.parseInt(props.getOrDefault("task.count", "1"));
            String file = props.get("file");
            partition = Map.of("file", file, "task", index);
            Map<String, Object> stored = context.offsetStorageReader().offset(partition);
            long resume = stored == null ? 0 : ((Number) stored.get("line")).longValue();
            try {
                in = Files.newInputStream(Paths.get(file));
                // A restarted task skips what it already sent: offsets count lines, so skip that many.
                while (line < resume && advance()) line++;
            } catch (IOException e) {
                throw new org.apache.kafka.connect.errors.ConnectException("cannot open " + file, e);
            }
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            int limit = batchSize;
            if (rate > 0) {
                // As many records as are due by now on a steady schedule; when none is, wait for the next one.
                long now = System.nanoTime();
                if (pacedSince < 0) pacedSince = now;
                long due = (now - pacedSince) * rate / 1_000_000_000L - sent;
                if (due <= 0) {
                    long next = pacedSince + (sent + 1) * 1_000_000_000L / rate;
                    Thread.sleep(Math.max(1, Math.min(100, (next - now) / 1_000_000L)));
                    return null;
                }
                limit = (int) Math.min(batchSize, due);
            }
            List<SourceRecord> records = new ArrayList<>(limit);
            try {
                while (records.size() < limit && advance()) {
                    long at = line++;
                    if (at % count != index) continue;
                    records.add(record(Arrays.copyOfRange(buffer, lineStart, lineEnd)));
                }
            } catch (IOException e) {
                throw new org.apache.kafka.connect.errors.ConnectException(e);
            }
            if (records.isEmpty()) {
                Thread.sleep(100); // the end of the file: nothing more will come
                return null;
            }
            sent += records.size();
            return records;
        }

        @SuppressWarnings("unchecked")
        private SourceRecord record(byte[] bytes) {
            Map<String, Object> order = (Map<String, Object>) parser.toConnectData(topic, bytes).value();
            String id = (String) order.get("order_id");
            Map<String, Object> offset = Map.of("line", line);
            if (!schemas) {
                return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, id, null, order);
            }
            return new SourceRecord(partition, offset, topic, null, Schema.STRING_SCHEMA, id, ORDER, toStruct(ORDER, order));
        }

        /** A schemaless map (as JsonConverter reads it: Long for integers, Double for fractions) as a Struct. */
        @SuppressWarnings("unchecked")
        private static Struct toStruct(Schema schema, Map<String, Object> map) {
            Struct struct = new Struct(schema);
            for (org.apache.kafka.connect.data.Field field : schema.fields()) {
                Object value = map.get(field.name());
                Schema fieldSchema = field.schema();
                switch (fieldSchema.type()) {
                    case STRUCT:
                        struct.put(field, toStruct(fieldSchema, (Map<String, Object>) value));
                        break;
                    case ARRAY: {
                        List<Object> items = new ArrayList<>();
                        for (Object item : (List<Object>) value) {
                            items.add(toStruct(fieldSchema.valueSchema(), (Map<String, Object>) item));
                        }
                        struct.put(field, items);
                        break;
                    }
                    case INT32:
                        struct.put(field, ((Number) value).intValue());
                        break;
                    case INT64:
                        struct.put(field, ((Number) value).longValue());
                        break;
                    case FLOAT64:
                        struct.put(field, ((Number) value).doubleValue());
                        break;
                    default:
                        struct.put(field, value);
                }
            }
            return struct;
        }

        /**
         * Moves to the next line: true with [lineStart, lineEnd) its bytes in `buffer`, false at the end of the file.
         * Lines are cut from a 1 MiB buffer and handed to Jackson as bytes (no String made and encoded again), and a
         * line of another task is skipped without a copy.
         */
        private boolean advance() throws IOException {
            while (true) {
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        lineStart = start;
                        lineEnd = i;
                        start = i + 1;
                        return true;
                    }
                }
                if (eof) {
                    if (start == end) return false;
                    lineStart = start; // a last line without a newline
                    lineEnd = end;
                    start = end;
                    return true;
                }
                if (start > 0) {
                    System.arraycopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.length) buffer = Arrays.copyOf(buffer, buffer.length * 2); // a very long line
                int read = in.read(buffer, end, buffer.length - end);
                if (read < 0) eof = true;
                else end += read;
            }
        }

        @Override
        public void stop() {
            try {
                if (in != null) in.close();
            } catch (IOException ignored) {
                // closing a read-only file cannot lose data
            }
        }
    }
}
