package com.supportress.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.supportress.emulator.EmulatedStack;
import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ImportStatus;
import software.amazon.awssdk.services.dynamodb.model.InputCompressionType;
import software.amazon.awssdk.services.dynamodb.model.InputFormat;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Benchmark (a plain main, not a test), against the emulator: for tables of 1k, 100k and 1M items of about
 * 110 bytes, the daily function's invocation (which only starts DynamoDB's work), the finisher's invocations
 * until the run is complete in both regions, and for the largest table a restore by ImportTable; each in a
 * JVM of its own at -Xmx256m, configured like Lambda, with its peak RSS. Tables are loaded by ImportTable
 * (setup, not measured). The emulator needs about 6 GB of memory for the 1M-item table. The finisher copies files above 16 MiB in 8 MiB parts here (5 GiB and 256 MiB when
 * deployed), so the largest file takes the parallel UploadPartCopy path. Run: see functions/backup/README.md.
 */
public final class BackupBenchmark {

    private static final String HEAP = "-Xmx256m";

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            sizes.add(Integer.parseInt(arg.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000, 100_000, 1_000_000);
        }
        EmulatedStack stack = EmulatedStack.create(Map.of());
        System.out.printf("backup benchmark against %s; %d CPUs, load average %s; function JVMs %s%n", stack.endpoint(),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), HEAP);
        List<String> rows = new ArrayList<>();
        // One attempt, minutes to answer: a retried CreateBackup would make moto copy the table again.
        DynamoDbClient patient = stack.awsSettings().build(DynamoDbClient.builder().overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1))),
                UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(20)).build());
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int items : sizes) {
            String table = "bench-" + items;
            double loaded = load(stack, table, items);
            System.out.printf("%,d items loaded by ImportTable in %.1f s (setup)%n", items, loaded);

            // moto's CreateBackup deep-copies the table in-process (DynamoDB's returns at once and backs up in the
            // background): taken here, once, with a patient client, as the day's backup the daily function then finds.
            long nativeStart = System.nanoTime();
            patient.createBackup(r -> r.tableName(table).backupName(NativeBackups.NAME_PREFIX + "bench-" + items));
            double nativeSeconds = (System.nanoTime() - nativeStart) / 1e9;
            Map<String, String> daily = child(stack, "BackupFunction", Map.of("BACKUP_TABLES", table), "daily");
            String runId = daily.get("RUN_ID");
            // The copy is the emulator's biggest memory: gone before the export is finished.
            stack.dynamoDb().listBackups(r -> r.tableName(table)).backupSummaries().forEach(b -> stack.dynamoDb().deleteBackup(r -> r.backupArn(b.backupArn())));

            Map<String, String> finish = child(stack, "BackupFinisherFunction", Map.of("BACKUP_TABLES", table,
                    "BACKUP_COPY_MULTIPART_MB", "16", "BACKUP_COPY_PART_MB", "8"), "finish", runId);
            BackupStore replica = backupStore(stack);
            TableManifest manifest = replica.tableManifest(runId, table).orElseThrow(() -> new IllegalStateException("no verified backup: " + finish));
            long bytes = manifest.files().stream().mapToLong(TableManifest.BackupFile::bytes).sum();
            long parts = manifest.files().stream().mapToLong(f -> f.partSize() == 0 ? 1 : (f.bytes() + f.partSize() - 1) / f.partSize()).sum();
            rows.add(String.format("| %,d | %.2f s (moto's CreateBackup, taken before: %.1f s) | %.0f MiB | %s invocations, %.1f s busy, %.1f s until complete | %.0f MiB | %d file(s), %.1f MiB, %d part copies |",
                    items, seconds(daily), nativeSeconds, mib(daily), finish.get("INVOCATIONS"), Double.parseDouble(finish.get("BUSY_SECONDS")),
                    seconds(finish), mib(finish), manifest.files().size(), bytes / 1048576.0, parts));

            // The source table is not needed to restore: dropped, the emulator's memory goes to the restore.
            stack.dynamoDb().deleteTable(r -> r.tableName(table));
            if (items == largest) {
                Map<String, String> restore = child(stack, "BackupRestoreFunction", Map.of(), "restore", table, runId);
                rows.add(String.format("| restore %,d items by ImportTable | %.1f s | %.0f MiB | %s |", items, seconds(restore), mib(restore), restore.get("RESTORED")));
                stack.dynamoDb().deleteTable(r -> r.tableName(table + "-restored-" + runId));
            }
        }
        System.out.println();
        System.out.println("| items | daily function | its peak RSS | finisher | its peak RSS | backup |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** The copy in the second region, read as the finisher wrote it. */
    private static BackupStore backupStore(EmulatedStack stack) {
        var environment = stack.environment("BackupFinisherFunction");
        return new BackupStore(stack.s3(stack.secondaryRegion()), environment.require("BACKUP_REPLICA_BUCKET"), stack.secondaryRegion(),
                environment.require("BACKUP_BUCKET_OWNER"), JsonMapper.createDefault());
    }

    /** A table of {@code items} items with PITR, filled by DynamoDB's own import from a generated file; seconds taken. */
    private static double load(EmulatedStack stack, String table, int items) throws Exception {
        long start = System.nanoTime();
        Path file = Files.createTempFile("bench-items", ".json.gz");
        Random random = new Random(items);
        char[] alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
             JsonGenerator json = DynamoJson.FACTORY.createGenerator(out)) {
            char[] payload = new char[64];
            for (int i = 0; i < items; i++) {
                for (int c = 0; c < payload.length; c++) {
                    payload[c] = alphabet[random.nextInt(alphabet.length)];
                }
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                item.put("id", AttributeValue.fromS(String.format("item-%08d", i)));
                item.put("payload", AttributeValue.fromS(new String(payload)));
                item.put("n", AttributeValue.fromN(Integer.toString(i)));
                DynamoJson.writeItem(json, item);
            }
        }
        String bucket = stack.environment("BackupFunction").require("BACKUP_WORK_BUCKET");
        String prefix = "bench-source/" + table + "/";
        S3Client s3 = stack.s3();
        s3.putObject(r -> r.bucket(bucket).key(prefix + "items.json.gz"), RequestBody.fromFile(file));
        Files.delete(file);
        DynamoDbClient dynamoDb = stack.dynamoDb();
        String importArn = dynamoDb.importTable(r -> r.s3BucketSource(s -> s.s3Bucket(bucket).s3KeyPrefix(prefix))
                .inputFormat(InputFormat.DYNAMODB_JSON).inputCompressionType(InputCompressionType.GZIP)
                .tableCreationParameters(t -> t.tableName(table).billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)))).importTableDescription().importArn();
        ImportStatus status;
        while ((status = dynamoDb.describeImport(r -> r.importArn(importArn)).importTableDescription().importStatus()) == ImportStatus.IN_PROGRESS) {
            Thread.sleep(1_000);
        }
        if (status != ImportStatus.COMPLETED) {
            throw new IllegalStateException("loading " + table + " failed: " + status);
        }
        dynamoDb.updateContinuousBackups(r -> r.tableName(table).pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(true)));
        s3.deleteObject(r -> r.bucket(bucket).key(prefix + "items.json.gz"));
        return (System.nanoTime() - start) / 1e9;
    }

    /** Runs a function's JVM with its template environment (and overrides) pointed at the emulator; its KEY value lines. */
    private static Map<String, String> child(EmulatedStack stack, String function, Map<String, String> overrides, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, HEAP, "-DLOG_LEVEL=WARN", "-cp", System.getProperty("java.class.path"),
                BackupInChildJvm.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = new HashMap<>(stack.environment(function).variables());
        environment.putAll(overrides);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Map<String, String> values = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2 && parts[0].matches("[A-Z_]+")) {
                    values.put(parts[0], parts[1]);
                } else {
                    output.add(line);
                }
            }
        }
        if (process.waitFor() != 0 || !values.containsKey("SECONDS")) {
            throw new IllegalStateException(function + " " + String.join(" ", args) + " failed:\n" + String.join("\n", output));
        }
        return values;
    }

    private static double seconds(Map<String, String> values) {
        return Double.parseDouble(values.get("SECONDS"));
    }

    private static double mib(Map<String, String> values) {
        return Double.parseDouble(values.get("PEAK_RSS_MIB"));
    }
}
