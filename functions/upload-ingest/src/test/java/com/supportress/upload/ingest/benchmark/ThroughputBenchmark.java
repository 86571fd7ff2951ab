package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.SqsEvents;
import com.supportress.upload.ingest.UploadFixture;
import com.supportress.upload.ingest.UploadIngestHandler;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * 1,000 small files end to end against the emulator: each is created through the real upload API, PUT to its
 * presigned URL, announced by the bucket on the queue, and ingested by consumers standing in for concurrent
 * Lambda instances (each its own handler and context) until every record says replicated. Prints files per
 * second and the median and p99 of the replication lag (object arrival to verified replica, as recorded) and
 * of the end-to-end time (API request to verified replica). Run: see the README's Uploads section.
 */
public final class ThroughputBenchmark {

    private static final int FILES = 1_000;
    private static final int UPLOADERS = 8;
    private static final int CONSUMERS = 4;

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) {
        BenchmarkRun.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : FILES;
        // The run keeps up to 1,000 uploads open at once, past the default tenant quota.
        try (UploadFixture bench = new UploadFixture(EmulatedStack.create(Map.of("OpenUploadsPerTenant", "1000")), Clock.systemUTC(), Map.of())) {
            Map<String, Long> requestedAtMillis = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService consumers = Executors.newFixedThreadPool(CONSUMERS);
            List<Future<?>> consuming = new ArrayList<>();
            for (int i = 0; i < CONSUMERS; i++) {
                UploadIngestHandler handler = bench.ingestHandler(Map.of());
                consuming.add(consumers.submit(() -> consume(bench, handler, running)));
            }

            long started = System.currentTimeMillis();
            ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
            List<Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                byte[] body = ("file " + i + ": " + "x".repeat(200 + i % 800) + "\n").getBytes();
                uploads.add(uploaders.submit(() -> {
                    long requestedAt = System.currentTimeMillis();
                    JsonNode plan = bench.create("note.txt", "text/plain", body.length, UploadFixture.sha256(body), null);
                    requestedAtMillis.put(plan.get("uploadId").asText(), requestedAt);
                    if (bench.put(plan, body) != 200) {
                        throw new IllegalStateException("the presigned PUT failed");
                    }
                    return null;
                }));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
            uploaders.shutdown();
            long uploadedAt = System.currentTimeMillis();

            List<Map<String, AttributeValue>> records;
            do {
                Thread.sleep(500);
                records = bench.allUploads();
            } while (records.stream().filter(item -> item.get("status").s().equals("replicated")).count() < files
                    && System.currentTimeMillis() - started < 600_000);
            running.set(false);
            for (Future<?> consumer : consuming) {
                consumer.get();
            }
            consumers.shutdown();
            System.out.printf("  all %d created and PUT (API + presigned PUT) after %.1f s%n", files, (uploadedAt - started) / 1000.0);
            report(files, started, records, requestedAtMillis);
        }
    }

    /** One message per invocation, as the template's BatchSize of 1 has Lambda do; a failed message is left to return. */
    private static void consume(UploadFixture bench, UploadIngestHandler handler, AtomicBoolean running) {
        try (handler) {
            while (running.get()) {
                for (Message message : bench.receive(10, 1)) {
                    SQSBatchResponse response = handler.handleRequest(SqsEvents.of(List.of(message)), null);
                    if (response.getBatchItemFailures().isEmpty()) {
                        bench.delete(message);
                    }
                }
            }
        }
    }

    private static void report(int files, long started, List<Map<String, AttributeValue>> records, Map<String, Long> requestedAtMillis) {
        List<Map<String, AttributeValue>> replicated = records.stream().filter(item -> item.get("status").s().equals("replicated")).toList();
        long[] lag = replicated.stream().mapToLong(item -> Long.parseLong(item.get("replicationLagMillis").n())).sorted().toArray();
        long[] endToEnd = replicated.stream()
                .mapToLong(item -> Instant.parse(item.get("replicatedAt").s()).toEpochMilli() - requestedAtMillis.get(item.get("uploadId").s()))
                .sorted().toArray();
        long last = replicated.stream().mapToLong(item -> Instant.parse(item.get("replicatedAt").s()).toEpochMilli()).max().orElse(started);
        double seconds = (last - started) / 1000.0;
        System.out.printf("%d small files (200-1000 bytes) end to end, %d uploaders, %d ingest consumers, against the emulator:%n",
                files, UPLOADERS, CONSUMERS);
        System.out.printf("  replicated %d of %d in %.1f s: %.1f files/s%n", replicated.size(), files, seconds, replicated.size() / seconds);
        System.out.printf("  replication lag (arrival -> verified replica): median %d ms, p99 %d ms%n", percentile(lag, 50), percentile(lag, 99));
        System.out.printf("  end to end (POST /uploads -> verified replica): median %d ms, p99 %d ms%n", percentile(endToEnd, 50), percentile(endToEnd, 99));
        if (replicated.size() < files) {
            throw new IllegalStateException("only " + replicated.size() + " of " + files + " replicated; statuses: "
                    + records.stream().collect(Collectors.groupingBy(item -> item.get("status").s(), Collectors.counting())));
        }
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

}
