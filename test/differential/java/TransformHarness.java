/*
 * The reference side of sluice's differential test: Apache Kafka Connect's own converters, transforms and
 * predicates, driven with the same command-line contract as `sluice transform`.
 *
 *   java -cp '<kafka libs>/*:<classes>' TransformHarness connector.properties < records.jsonl
 *
 * Every input line is {"topic","partition","offset","timestamp","key","value","headers":{name:text}}, where key,
 * value and header values are the serialized bytes as UTF-8 text (null for null bytes). The record is read with the
 * configured converters as WorkerSinkTask reads a consumed record (key, value, then headers), run through the
 * transformation chain as TransformationChain/TransformationStage run it, and written back with the same converters
 * in the order WorkerSourceTask uses (headers, key, value). A record that a transform drops writes no line; a record
 * that fails writes {"error","stage","offset"}, and only errors.tolerance=all lets the run go on. Exit codes as
 * `sluice transform`: 0 done, 1 a record failed (tolerance none), 2 a configuration the chain cannot be built from.
 *
 * `--batch <list>` runs many chains in one JVM (see batch()); the test uses it to pay for one JVM start, not forty.
 */

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public final class TransformHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Packages tried for a class name without one, like the short aliases Kafka's plugin scanner accepts. */
    private static final String[] ALIAS_PACKAGES = {
        "org.apache.kafka.connect.transforms.",
        "org.apache.kafka.connect.transforms.predicates.",
        "org.apache.kafka.connect.json.",
        "org.apache.kafka.connect.storage.",
        "org.apache.kafka.connect.converters.",
    };

    /** One configured transform with its optional predicate, as ConnectorConfig builds a TransformationStage. */
    private record Stage(Transformation<SinkRecord> transformation, Predicate<SinkRecord> predicate, boolean negate) {
        SinkRecord apply(SinkRecord record) {
            if (predicate == null || negate ^ predicate.test(record)) return transformation.apply(record);
            return record;
        }
    }

    /** A failure at a named Kafka Connect stage (errors.Stage), so the error line can say where. */
    private static final class StageFailure extends Exception {
        private static final long serialVersionUID = 1L;

        final String stage;

        StageFailure(String stage, Throwable cause) {
            super(cause);
            this.stage = stage;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--batch")) {
            System.exit(batch(Path.of(args[1])));
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: TransformHarness <connector.properties>  (records as JSON lines on stdin)");
            System.err.println("       TransformHarness --batch <list>  (lines of properties<TAB>input<TAB>output)");
            System.exit(2);
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        int code;
        try {
            code = run(Path.of(args[0]), System.in, out);
        } catch (SetupFailure failure) {
            out.flush();
            System.err.println("TransformHarness: " + args[0] + ": " + failure.getCause());
            code = 2;
        }
        out.flush();
        System.exit(code);
    }

    /**
     * Many chains in one JVM, each with its own converters and transforms (nothing is shared between runs): the
     * differential test would otherwise pay a JVM start per chain. Prints {"properties","exitCode","stderr"} per chain.
     */
    private static int batch(Path list) throws Exception {
        Writer status = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            String[] parts = line.split("\t", -1);
            if (parts.length != 3) throw new IllegalArgumentException("batch line is not properties<TAB>input<TAB>output: " + line);
            ObjectNode result = JSON.createObjectNode();
            result.put("properties", parts[0]);
            try (InputStream in = Files.newInputStream(Path.of(parts[1]));
                 Writer out = Files.newBufferedWriter(Path.of(parts[2]), StandardCharsets.UTF_8)) {
                try {
                    result.put("exitCode", run(Path.of(parts[0]), in, out));
                    result.put("stderr", "");
                } catch (SetupFailure failure) {
                    result.put("exitCode", 2);
                    result.put("stderr", String.valueOf(failure.getCause()));
                }
            }
            status.write(JSON.writeValueAsString(result) + "\n");
        }
        status.flush();
        return 0;
    }

    /** A configuration the chain cannot be built from (exit code 2, as `sluice transform`). */
    private static final class SetupFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SetupFailure(Throwable cause) {
            super(cause);
        }
    }

    /** One dry run: 0 when every record went through (or was tolerated), 1 when a record failed under none. */
    private static int run(Path properties, InputStream input, Writer out) throws Exception {
        Converter keyConverter;
        Converter valueConverter;
        HeaderConverter headerConverter;
        List<Stage> chain;
        boolean tolerateAll;
        try {
            Map<String, String> config = load(properties);
            keyConverter = converter(config, "key.converter", true);
            valueConverter = converter(config, "value.converter", false);
            headerConverter = headerConverter(config);
            chain = chain(config);
            tolerateAll = "all".equalsIgnoreCase(config.getOrDefault("errors.tolerance", "none").trim());
        } catch (Exception | LinkageError e) {
            throw new SetupFailure(e);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        int exitCode = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            JsonNode record = JSON.readTree(line);
            long offset = record.path("offset").asLong();
            try {
                out.write(process(record, keyConverter, valueConverter, headerConverter, chain));
            } catch (StageFailure failure) {
                ObjectNode error = JSON.createObjectNode();
                error.put("error", String.valueOf(failure.getCause()));
                error.put("stage", failure.stage);
                error.put("offset", offset);
                out.write(JSON.writeValueAsString(error) + "\n");
                if (!tolerateAll) {
                    exitCode = 1;
                    break;
                }
            }
        }
        for (Stage stage : chain) {
            stage.transformation().close();
            if (stage.predicate() != null) stage.predicate().close();
        }
        return exitCode;
    }

    /** The output line for one input record, or "" when the chain dropped it. */
    private static String process(JsonNode input, Converter keyConverter, Converter valueConverter,
                                  HeaderConverter headerConverter, List<Stage> chain) throws StageFailure {
        SinkRecord record = read(input, keyConverter, valueConverter, headerConverter);
        for (Stage stage : chain) {
            if (record == null) break;
            try {
                record = stage.apply(record);
            } catch (RuntimeException e) {
                throw new StageFailure("TRANSFORMATION", e);
            }
        }
        return record == null ? "" : write(record, keyConverter, valueConverter, headerConverter) + "\n";
    }

    /** Kafka's own Utils.loadProps reads the file as an InputStream, that is ISO-8859-1 with \\u escapes. */
    private static Map<String, String> load(Path path) throws Exception {
        Properties properties = new Properties();
        try (InputStream stream = Files.newInputStream(path)) {
            properties.load(stream);
        }
        Map<String, String> config = new HashMap<>();
        for (String name : properties.stringPropertyNames()) config.put(name, properties.getProperty(name));
        return config;
    }

    private static SinkRecord read(JsonNode input, Converter keyConverter, Converter valueConverter,
                                   HeaderConverter headerConverter) throws StageFailure {
        String topic = input.path("topic").asText();
        int partition = input.path("partition").asInt();
        long offset = input.path("offset").asLong();
        JsonNode timestampNode = input.path("timestamp");
        Long timestamp = timestampNode.isNumber() ? timestampNode.asLong() : null;
        byte[] keyBytes = bytes(input.get("key"));
        byte[] valueBytes = bytes(input.get("value"));
        SchemaAndValue key;
        SchemaAndValue value;
        try {
            key = keyConverter.toConnectData(topic, keyBytes);
        } catch (RuntimeException e) {
            throw new StageFailure("KEY_CONVERTER", e);
        }
        try {
            value = valueConverter.toConnectData(topic, valueBytes);
        } catch (RuntimeException e) {
            throw new StageFailure("VALUE_CONVERTER", e);
        }
        ConnectHeaders headers = new ConnectHeaders();
        try {
            for (Map.Entry<String, JsonNode> field : input.path("headers").properties()) {
                SchemaAndValue header = headerConverter.toConnectHeader(topic, field.getKey(), bytes(field.getValue()));
                headers.add(field.getKey(), header);
            }
        } catch (RuntimeException e) {
            throw new StageFailure("HEADER_CONVERTER", e);
        }
        TimestampType timestampType = timestamp == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME;
        return new SinkRecord(topic, partition, key.schema(), key.value(), value.schema(), value.value(), offset,
            timestamp, timestampType, headers);
    }

    private static String write(SinkRecord record, Converter keyConverter, Converter valueConverter,
                                HeaderConverter headerConverter) throws StageFailure {
        ObjectNode headers = JSON.createObjectNode();
        try {
            Headers recordHeaders = record.headers();
            for (Header header : recordHeaders) {
                byte[] bytes = headerConverter.fromConnectHeader(record.topic(), header.key(), header.schema(),
                    header.value());
                headers.put(header.key(), text(bytes));
            }
        } catch (RuntimeException e) {
            throw new StageFailure("HEADER_CONVERTER", e);
        }
        byte[] key;
        byte[] value;
        try {
            key = keyConverter.fromConnectData(record.topic(), record.keySchema(), record.key());
        } catch (RuntimeException e) {
            throw new StageFailure("KEY_CONVERTER", e);
        }
        try {
            value = valueConverter.fromConnectData(record.topic(), record.valueSchema(), record.value());
        } catch (RuntimeException e) {
            throw new StageFailure("VALUE_CONVERTER", e);
        }
        ObjectNode output = JSON.createObjectNode();
        output.put("topic", record.topic());
        output.put("partition", record.kafkaPartition());
        output.put("offset", record.kafkaOffset());
        output.put("timestamp", record.timestamp());
        output.put("key", text(key));
        output.put("value", text(value));
        output.set("headers", headers);
        try {
            return JSON.writeValueAsString(output);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        if (node == null || node.isNull()) return null;
        return node.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** As Plugins.newConverter: the `<key>.` keys without the prefix, plus converter.type. */
    private static Converter converter(Map<String, String> config, String key, boolean isKey) throws Exception {
        String className = config.get(key);
        if (className == null) {
            throw new IllegalArgumentException(key + " must be set (the differential test always names it)");
        }
        Converter converter = instantiate(className, Converter.class);
        Map<String, String> settings = withPrefix(config, key + ".");
        settings.put("converter.type", isKey ? "key" : "value");
        converter.configure(settings, isKey);
        return converter;
    }

    private static HeaderConverter headerConverter(Map<String, String> config) throws Exception {
        String className = config.getOrDefault("header.converter",
            "org.apache.kafka.connect.storage.SimpleHeaderConverter");
        HeaderConverter converter = instantiate(className, HeaderConverter.class);
        Map<String, String> settings = withPrefix(config, "header.converter.");
        settings.put("converter.type", "header");
        converter.configure(settings);
        return converter;
    }

    /** As ConnectorConfig.transformationStages: `type` stays in the transform's config, predicate and negate go. */
    @SuppressWarnings("unchecked")
    private static List<Stage> chain(Map<String, String> config) throws Exception {
        Map<String, Predicate<SinkRecord>> predicates = new HashMap<>();
        for (String alias : list(config.get("predicates"))) {
            String prefix = "predicates." + alias + ".";
            Predicate<SinkRecord> predicate = instantiate(config.get(prefix + "type"), Predicate.class);
            predicate.configure(withPrefix(config, prefix));
            predicates.put(alias, predicate);
        }
        List<Stage> stages = new ArrayList<>();
        for (String alias : list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            Transformation<SinkRecord> transformation = instantiate(config.get(prefix + "type"), Transformation.class);
            Map<String, String> settings = withPrefix(config, prefix);
            String predicateAlias = settings.remove("predicate");
            String negate = settings.remove("negate");
            transformation.configure(settings);
            Predicate<SinkRecord> predicate = null;
            if (predicateAlias != null && !predicateAlias.isBlank()) {
                predicate = predicates.get(predicateAlias.trim());
                if (predicate == null) throw new IllegalArgumentException("unknown predicate " + predicateAlias);
            }
            stages.add(new Stage(transformation, predicate, negate != null && Boolean.parseBoolean(negate.trim())));
        }
        return stages;
    }

    /** ConfigDef's LIST parsing: trimmed, split on commas with surrounding blanks, "" is the empty list. */
    private static List<String> list(String raw) {
        if (raw == null || raw.trim().isEmpty()) return List.of();
        return List.of(raw.trim().split("\\s*,\\s*", -1));
    }

    private static Map<String, String> withPrefix(Map<String, String> config, String prefix) {
        Map<String, String> result = new HashMap<>();
        for (Map.Entry<String, String> entry : config.entrySet()) {
            if (entry.getKey().startsWith(prefix)) result.put(entry.getKey().substring(prefix.length()), entry.getValue());
        }
        return result;
    }

    private static <T> T instantiate(String className, Class<T> kind) throws Exception {
        if (className == null) throw new IllegalArgumentException("missing class name for a " + kind.getSimpleName());
        String name = className.trim();
        Class<?> found = null;
        try {
            found = Class.forName(name);
        } catch (ClassNotFoundException notQualified) {
            for (String pkg : ALIAS_PACKAGES) {
                try {
                    found = Class.forName(pkg + name);
                    break;
                } catch (ClassNotFoundException ignored) {
                    // try the next package
                }
            }
            if (found == null) throw notQualified;
        }
        return kind.cast(found.getDeclaredConstructor().newInstance());
    }
}
