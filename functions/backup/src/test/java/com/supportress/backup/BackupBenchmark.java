package com.supportress.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.supportress.emulator.EmulatedStack;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark (a plain main, not a test): backs up and restores one table of ~1 KB items through the
 * streaming path (parallel scan, gzip, multipart upload; parallel restore) and through a naive baseline
 * (one scan, the whole gzip file in memory, one PutObject; restore reads the whole file first), printing
 * items/s, MB/s, peak heap and peak RSS per phase. Run with the heap the issue asks for:
 * <pre>
 * ./mvnw -q -pl functions/backup -am test-compile -o
 * java -Xmx256m -cp "$(cat functions/backup/target/bench.cp):functions/backup/target/classes:functions/backup/target/test-classes" \
 *      com.supportress.backup.BackupBenchmark [items=1000000] [segments=4]
 * </pre>
 * (see functions/backup/README.md for building bench.cp). Against moto the table's emulator is the bottleneck.
 */
public final class BackupBenchmark {

    private static final String TABLE = "bench";

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("pipeline")) {
            pipeline(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            System.exit(0);
        }
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int segments = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        EmulatedStack stack = EmulatedStack.create(Map.of());
        DynamoDbClient dynamoDb = stack.dynamoDb();
        System.out.printf("benchmark: %,d items of ~1 KB, %d segments, max heap %d MB, emulator %s%n",
                items, segments, Runtime.getRuntime().maxMemory() >> 20, stack.endpoint());

        long loadStart = System.nanoTime();
        long rawBytes = load(dynamoDb, items);
        System.out.printf("loaded in %.1f s (%.0f items/s), %.1f MB of item JSON%n", seconds(loadStart), items / seconds(loadStart), rawBytes / 1e6);

        try (ApplicationContext context = stack.start("BackupFunction")) {
            BackupStores stores = context.getBean(BackupStores.class);
            BackupConfig base = context.getBean(BackupConfig.class);
            BackupConfig config = new BackupConfig(List.of(TABLE), base.bucket(), base.replicaBucket(), base.region(), base.replicaRegion(),
                    segments, base.maxFileBytes(), base.retention(), base.scratchTablePrefix());

            phase("streamed backup", items, rawBytes, () -> {
                Manifest.TableBackup backup = new TableExporter(dynamoDb, stores.primary().s3(), config.bucket(), segments, config.maxFileBytes())
                        .export("bench-streamed", TABLE);
                stores.primary().writeManifest(new Manifest(Manifest.FORMAT_VERSION, "bench-streamed", config.region().id(),
                        java.time.Instant.now(), java.time.Instant.now(), List.of(backup)));
                return String.format("%d files, %.1f MB gzip", backup.files().size(), backup.bytes() / 1e6);
            });
            RestoreService restore = new RestoreService(dynamoDb, stores, config);
            phase("streamed restore", items, rawBytes, () -> {
                var report = restore.restore(new RestoreService.RestoreRequest(TABLE, Optional.of("bench-streamed"), Optional.of(TABLE + "-streamed"),
                        false, Optional.empty()), message -> { });
                return report.restoredItems() + " items restored";
            });
            phase("naive backup", items, rawBytes, () -> naiveBackup(dynamoDb, stores.primary()));
            phase("naive restore", items, rawBytes, () -> naiveRestore(dynamoDb, stores.primary()));
        }
        System.exit(0);
    }

    private interface Phase {
        String run() throws Exception;
    }

    private static void phase(String name, int items, long rawBytes, Phase phase) {
        System.gc();
        resetPeakRss();
        // Sampled, since the pools' own peaks are reached at different moments and do not add up.
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            Runtime runtime = Runtime.getRuntime();
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = phase.run();
        } catch (OutOfMemoryError e) {
            outcome = "OutOfMemoryError: " + e.getMessage();
        } catch (Exception e) {
            outcome = "failed: " + e;
        }
        double s = seconds(start);
        sampler.interrupt();
        System.out.printf("%-17s %7.1f s  %8.0f items/s  %6.2f MB/s  peak heap %4d MB  peak RSS %4d MB  (%s)%n",
                name, s, items / s, rawBytes / 1e6 / s, peakHeap.get() >> 20, peakRssMb(), outcome);
    }

    /**
     * Our side of the pipeline alone, for table sizes the emulator cannot serve (moto's Scan rereads the
     * table for every page, so its cost grows with the square of the table): generated items through
     * DynamoDB JSON, gzip and SHA-256 into a local file and back through gunzip, parsing and the content
     * hash; then the naive way, the whole gzip file in a byte array and every item in a list.
     */
    private static void pipeline(int items) throws Exception {
        System.out.printf("pipeline benchmark: %,d generated items of ~1 KB, no emulator, max heap %d MB%n", items, Runtime.getRuntime().maxMemory() >> 20);
        Path file = Files.createTempFile("backup-bench", ".json.gz");
        long rawBytes = items * 1000L;
        try {
            phase("streamed write", items, rawBytes, () -> {
                ItemHash hash = new ItemHash();
                HashingOutputStream stored;
                try (JsonGenerator json = DynamoJson.FACTORY.createGenerator(new GZIPOutputStream(
                        stored = new HashingOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)), 1 << 16))) {
                    Random random = new Random(1);
                    for (int i = 0; i < items; i++) {
                        Map<String, AttributeValue> item = item(i, random);
                        DynamoJson.writeItem(json, item);
                        hash.add(item);
                    }
                }
                return String.format("%.1f MB gzip", stored.bytes() / 1e6);
            });
            phase("streamed read", items, rawBytes, () -> {
                ItemHash hash = new ItemHash();
                try (JsonParser parser = DynamoJson.FACTORY.createParser(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
                    while (DynamoJson.readItem(parser).map(item -> { hash.add(item); return item; }).isPresent()) {
                        // every item hashed, none kept
                    }
                }
                return hash.items() + " items parsed";
            });
            phase("naive write", items, rawBytes, () -> {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                try (JsonGenerator json = DynamoJson.FACTORY.createGenerator(new GZIPOutputStream(buffer))) {
                    Random random = new Random(1);
                    for (int i = 0; i < items; i++) {
                        DynamoJson.writeItem(json, item(i, random));
                    }
                }
                return String.format("%.1f MB gzip held in memory", buffer.size() / 1e6);
            });
            phase("naive read", items, rawBytes, () -> {
                byte[] body = Files.readAllBytes(file);
                List<Map<String, AttributeValue>> all = new ArrayList<>();
                try (JsonParser parser = DynamoJson.FACTORY.createParser(new GZIPInputStream(new ByteArrayInputStream(body)))) {
                    for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                        all.add(item.get());
                    }
                }
                return all.size() + " items held in memory";
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The naive way: one unsegmented scan into one gzip buffer in memory, then one PutObject. */
    private static String naiveBackup(DynamoDbClient dynamoDb, BackupStore store) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (JsonGenerator json = DynamoJson.FACTORY.createGenerator(new GZIPOutputStream(file))) {
            for (ScanResponse page : dynamoDb.scanPaginator(r -> r.tableName(TABLE).consistentRead(true))) {
                for (Map<String, AttributeValue> item : page.items()) {
                    DynamoJson.writeItem(json, item);
                }
            }
        }
        byte[] body = file.toByteArray();
        store.s3().putObject(r -> r.bucket(store.bucket()).key("bench-naive/items.json.gz"), RequestBody.fromBytes(body));
        return String.format("%.1f MB gzip in one object", body.length / 1e6);
    }

    /** The naive way back: the whole object into memory, every item parsed into a list, then written one batch at a time. */
    private static String naiveRestore(DynamoDbClient dynamoDb, BackupStore store) throws IOException {
        String target = TABLE + "-naive";
        createTable(dynamoDb, target);
        byte[] body = store.s3().getObjectAsBytes(r -> r.bucket(store.bucket()).key("bench-naive/items.json.gz")).asByteArray();
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        try (JsonParser parser = DynamoJson.FACTORY.createParser(new GZIPInputStream(new ByteArrayInputStream(body)))) {
            for (Optional<Map<String, AttributeValue>> item; (item = DynamoJson.readItem(parser)).isPresent(); ) {
                all.add(item.get());
            }
        }
        for (int i = 0; i < all.size(); i += 25) {
            writeBatch(dynamoDb, target, all.subList(i, Math.min(all.size(), i + 25)));
        }
        return all.size() + " items restored";
    }

    private static long load(DynamoDbClient dynamoDb, int items) throws Exception {
        createTable(dynamoDb, TABLE);
        dynamoDb.updateContinuousBackups(r -> r.tableName(TABLE).pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
        int threads = 4;
        long rawBytes = 0;
        try (ExecutorService loaders = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(loaders.submit(() -> {
                    Random random = new Random(first);
                    long bytes = 0;
                    List<Map<String, AttributeValue>> batch = new ArrayList<>();
                    for (int i = first; i < items; i += threads) {
                        bytes += 1000;
                        batch.add(item(i, random));
                        if (batch.size() == 25) {
                            writeBatch(dynamoDb, TABLE, batch);
                            batch.clear();
                        }
                    }
                    if (!batch.isEmpty()) {
                        writeBatch(dynamoDb, TABLE, batch);
                    }
                    return bytes;
                }));
            }
            for (Future<Long> future : futures) {
                rawBytes += future.get();
            }
        }
        return rawBytes;
    }

    /** About 1 KB: a key, 880 characters of incompressible base64, a number, a string set and a date. */
    private static Map<String, AttributeValue> item(int i, Random random) {
        byte[] noise = new byte[660];
        random.nextBytes(noise);
        return Map.of(
                "id", AttributeValue.fromS(String.format("item-%08d", i)),
                "payload", AttributeValue.fromS(Base64.getEncoder().encodeToString(noise)),
                "amount", AttributeValue.fromN(Integer.toString(random.nextInt())),
                "tags", AttributeValue.fromSs(List.of("alpha", "beta", "t" + (i % 97))),
                "createdAt", AttributeValue.fromS("2026-11-25T04:00:00Z"));
    }

    private static void createTable(DynamoDbClient dynamoDb, String name) {
        dynamoDb.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    private static void writeBatch(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items) {
        List<WriteRequest> requests = items.stream().map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build()).toList();
        dynamoDb.batchWriteItem(r -> r.requestItems(Map.of(table, requests)));
    }

    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // Not Linux, or not permitted: the peak then covers the whole process lifetime.
        }
    }

    private static long peakRssMb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
