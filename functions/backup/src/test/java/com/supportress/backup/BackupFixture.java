package com.supportress.backup;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.RecordedMetrics;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.metrics.EmbeddedMetrics;
import com.supportress.shared.schedule.ScheduleEvent;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The template's stack on the emulator with the backup functions as Lambda would run them (one context per
 * function, one clock the test moves), and what the backup tests do to tables and files.
 */
final class BackupFixture implements AutoCloseable {

    final EmulatedStack stack;
    final MutableClock clock = new MutableClock(Instant.now());
    private final List<ApplicationContext> contexts = new ArrayList<>();
    private final Map<String, ApplicationContext> byFunction = new HashMap<>();
    private final Map<String, RecordedMetrics> metrics = new HashMap<>();

    BackupFixture(Map<String, String> parameters) {
        stack = EmulatedStack.create(parameters);
    }

    /** The function's context, started once, with the test's clock and, if it writes metrics, its recorded metrics. */
    ApplicationContext context(String function) {
        return byFunction.computeIfAbsent(function, f -> {
            ApplicationContext context = stack.environment(f).variables().containsKey(EmbeddedMetrics.NAMESPACE_VARIABLE)
                    ? stack.start(f, clock, metrics(f).metrics())
                    : stack.start(f, clock);
            contexts.add(context);
            return context;
        });
    }

    /** The EMF lines a function of the template (one with METRICS_NAMESPACE) wrote in this test, in every context given them. */
    RecordedMetrics metrics(String function) {
        return metrics.computeIfAbsent(function, f -> new RecordedMetrics(stack, f, clock));
    }

    StartReport start() {
        return new BackupHandler(context("BackupFunction")).handleRequest(tick(), null);
    }

    BackupFinisher.Report finish() {
        return new BackupFinisherHandler(context("BackupFinisherFunction")).handleRequest(tick(), null);
    }

    /** A daily run started and finished, as the two schedules would; its id. */
    String backUp() {
        String runId = start().runId();
        finishRun(runId, this::finish);
        return runId;
    }

    /**
     * Runs the finisher until the run is finished, as its schedule would (the emulator exports in a thread of
     * its own, so an export may still be running at the first call); the last report.
     */
    static BackupFinisher.Report finishRun(String runId, java.util.function.Supplier<BackupFinisher.Report> finisher) {
        long giveUp = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            BackupFinisher.Report report = finisher.get();
            if (report.runs().stream().anyMatch(r -> r.runId().equals(runId) && r.finished())) {
                return report;
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError("run " + runId + " did not finish: " + report);
            }
            RestoreService.sleep(200);
        }
    }

    static ScheduleEvent tick() {
        return SampleEvents.load("backup/finisher-schedule.json", ScheduleEvent.class);
    }

    BackupStores stores() {
        return context("BackupFinisherFunction").getBean(BackupStores.class);
    }

    JsonMapper json() {
        return context("BackupFinisherFunction").getBean(JsonMapper.class);
    }

    /** The finisher's configuration with some variables changed (copy sizes, tables). */
    BackupConfig config(Map<String, String> overrides) {
        return config("BackupFinisherFunction", overrides);
    }

    BackupConfig config(String function, Map<String, String> overrides) {
        Map<String, String> variables = new LinkedHashMap<>(stack.environment(function).variables());
        variables.putAll(overrides);
        return BackupConfig.from(FunctionEnvironment.of(variables));
    }

    BackupStores stores(S3Client primary, S3Client replica, BackupConfig config) {
        return BackupStores.of(primary, replica, config, json());
    }

    S3Client s3(Region region, ExecutionInterceptor interceptor) {
        return stack.awsSettings().build(S3Client.builder().forcePathStyle(true).overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)),
                UrlConnectionHttpClient.create(), region);
    }

    DynamoDbClient dynamoDb(ExecutionInterceptor interceptor) {
        return stack.awsSettings().build(DynamoDbClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(interceptor)),
                UrlConnectionHttpClient.create());
    }

    String table(String logicalId) {
        return stack.physicalName(logicalId);
    }

    /** Every table template.yaml declares, by the name this stack gives it. */
    Set<String> templateTables() {
        return stack.template().resourcesOfType("AWS::DynamoDB::Table").keySet().stream()
                .map(stack::physicalName).collect(Collectors.toSet());
    }

    String keyOf(String table) {
        return stack.dynamoDb().describeTable(r -> r.tableName(table)).table().keySchema().getFirst().attributeName();
    }

    void advance(Duration duration) {
        clock.advance(duration);
    }

    /** Items of about 200 bytes, whatever the table's key: every key attribute gets a value of its type. */
    void putItems(String table, int count) {
        var description = stack.dynamoDb().describeTable(r -> r.tableName(table)).table();
        Map<String, String> types = new HashMap<>();
        description.attributeDefinitions().forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("payload", AttributeValue.fromS("x".repeat(200)), "n", AttributeValue.fromN(Integer.toString(i))));
            for (var key : description.keySchema()) {
                String type = types.get(key.attributeName());
                item.put(key.attributeName(), switch (type) {
                    case "N" -> AttributeValue.fromN(Integer.toString(i));
                    case "B" -> AttributeValue.fromB(SdkBytes.fromUtf8String("item-" + i));
                    default -> AttributeValue.fromS("item-" + i);
                });
            }
            items.add(item);
        }
        write(table, items);
    }

    /** Items of about {@code bytes} random (incompressible) bytes each, so the export file is about count x bytes. */
    void putRandomItems(String table, int count, int bytes) {
        Random random = new Random(7);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] noise = new byte[bytes];
            random.nextBytes(noise);
            items.add(Map.of(keyOf(table), AttributeValue.fromS("big-" + i), "noise", AttributeValue.fromB(SdkBytes.fromByteArray(noise))));
        }
        write(table, items);
    }

    void write(String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
            stack.dynamoDb().batchWriteItem(r -> r.requestItems(Map.of(table, batch)));
        }
    }

    List<Map<String, AttributeValue>> scan(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        stack.dynamoDb().scanPaginator(r -> r.tableName(table)).items().forEach(items::add);
        return items;
    }

    /** Items by key with set members sorted, since DynamoDB sets have no order. */
    static Map<String, Map<String, AttributeValue>> byKey(String key, List<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> byKey = new TreeMap<>();
        items.forEach(item -> byKey.put(item.get(key).s(), normalise(item)));
        return byKey;
    }

    private static Map<String, AttributeValue> normalise(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> normal = new HashMap<>();
        item.forEach((name, value) -> normal.put(name, normalise(value)));
        return normal;
    }

    private static AttributeValue normalise(AttributeValue value) {
        return switch (value.type()) {
            case SS -> AttributeValue.fromSs(value.ss().stream().sorted().toList());
            case NS -> AttributeValue.fromNs(value.ns().stream().sorted().toList());
            case BS -> AttributeValue.fromBs(value.bs().stream()
                    .sorted(Comparator.comparing((SdkBytes b) -> Base64.getEncoder().encodeToString(b.asByteArray()))).toList());
            case M -> AttributeValue.fromM(normalise(value.m()));
            case L -> AttributeValue.fromL(value.l().stream().map(BackupFixture::normalise).toList());
            default -> value;
        };
    }

    /** SHA-256 as S3 reports it: base64. */
    static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        contexts.forEach(ApplicationContext::close);
    }
}
