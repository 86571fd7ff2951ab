package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SqsEvents;
import com.supportress.upload.ingest.UploadFixture;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingest of a 1 MiB, a 1 GiB and a 5 GiB upload against the emulator, each object by a fresh function JVM at
 * -Xmx256m, as Lambda would run it. The small file is one PUT (replicated with one CopyObject); the large ones
 * are multipart uploads in upload-api's 64 MiB parts, replicated with UploadPartCopy along those parts, first one
 * part at a time, then COPY_CONCURRENCY (the template's 16) at a time. Prints, per run: the invocation's
 * seconds, the object bytes and all bytes the function read from S3 (counted at the response streams), and the
 * function JVM's peak RSS; then the parallel copy's speedup per size. Run: see the README's Uploads section.
 */
public final class ReplicationBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;

    private record Run(String object, String copy, double seconds, long objectBytes, long responseBytes, int responses,
                       double peakRssMib, String heap) {
    }

    private ReplicationBenchmark() {
    }

    /** Arguments: the function JVM's heap option (-Xmx256m), then the large sizes in GiB (1 5). */
    public static void main(String[] args) {
        BenchmarkRun.exitAfter(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        String heap = args.length > 0 ? args[0] : "-Xmx256m";
        List<Long> sizes = args.length > 1 ? List.of(args).subList(1, args.length).stream().map(gib -> Long.parseLong(gib) * GIB).toList()
                : List.of(GIB, 5 * GIB);
        Path interceptor = S3ResponseBytes.registrationOn(Files.createTempDirectory("s3-response-bytes"));
        System.out.printf("machine: %d cores, load average %.2f at start%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Run> runs = new ArrayList<>();
        try (UploadFixture uploads = new UploadFixture(EmulatedStack.create(Map.of()), Clock.systemUTC(), Map.of())) {
            uploads.receiveAll(); // the bucket's s3:TestEvent
            String small = uploads.putUpload("one-mib.txt", "text/plain", bytes(0, (int) MIB));
            runs.add(ingest(uploads, small, "1 MiB", "1 CopyObject", 16, heap, interceptor));
            for (long size : sizes) {
                String name = size / GIB + " GiB";
                long started = System.nanoTime();
                String uploadId = uploads.multipartUpload(name + ".txt", "text/plain", size, ReplicationBenchmark::bytes);
                System.out.printf("uploaded %s in presigned 64 MiB parts in %.0f s (setup, not measured)%n", name, (System.nanoTime() - started) / 1e9);
                int parts = (int) (size / (64 * MIB));
                runs.add(ingest(uploads, uploadId, name, parts + " parts, 1 at a time", 1, heap, interceptor));
                unreplicate(uploads, uploadId);
                runs.add(ingest(uploads, uploadId, name, parts + " parts, 16 at a time", 16, heap, interceptor));
            }
        }
        print(runs);
        System.out.printf("load average %.2f at the end%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A function JVM ingests the upload's ObjectCreated event; the object must end replicated, at its full size. */
    private static Run ingest(UploadFixture uploads, String uploadId, String object, String copy, int concurrency, String heap,
                              Path interceptor) throws Exception {
        List<Message> event = objectEvent(uploads, uploadId);
        Path eventFile = Files.createTempFile("ingest-event", ".json");
        Files.writeString(eventFile, SampleEvents.toJson(SqsEvents.of(event), SQSEvent.class));
        Map<String, String> environment = new HashMap<>(uploads.stack.environment("UploadIngestFunction").variables());
        environment.put("COPY_CONCURRENCY", Integer.toString(concurrency));
        environment.put("LOG_LEVEL", "WARN");
        Map<String, String> child = runChild(heap, interceptor, eventFile, environment);
        Map<String, AttributeValue> item = uploads.item(uploadId);
        long replicaSize = uploads.replicaS3().headObject(r -> r.bucket(uploads.replicaBucket()).key(UploadFixture.key(uploadId))).contentLength();
        if (!"replicated".equals(item.get("status").s()) || replicaSize != Long.parseLong(item.get("size").n()) || !"0".equals(child.get("FAILURES"))) {
            throw new IllegalStateException(object + " was not replicated: " + item.get("status").s() + ", " + child);
        }
        Run run = new Run(object, copy, Double.parseDouble(child.get("INGEST_SECONDS")), Long.parseLong(child.get("OBJECT_BYTES")),
                Long.parseLong(child.get("RESPONSE_BYTES")), Integer.parseInt(child.get("S3_RESPONSES")),
                Double.parseDouble(child.get("PEAK_RSS_MIB")), heap + " (max heap " + child.get("MAX_HEAP_MIB") + " MiB)");
        System.out.printf("  %s, %s: %.1f s%n", object, copy, run.seconds());
        return run;
    }

    /** The upload's own ObjectCreated event (moto announces a completed multipart upload twice; S3 once). */
    private static List<Message> objectEvent(UploadFixture uploads, String uploadId) {
        List<Message> all = uploads.receiveAll();
        return all.stream().filter(message -> message.body().contains(uploadId)).limit(1).toList();
    }

    /**
     * Puts the upload back to stored with no replica, so the next run copies it again from scratch. The replica's one
     * version is found by HEAD: moto's ListObjectVersions deep-copies every object of the bucket, GiBs here.
     */
    private static void unreplicate(UploadFixture uploads, String uploadId) {
        String key = UploadFixture.key(uploadId);
        String version = uploads.replicaS3().headObject(r -> r.bucket(uploads.replicaBucket()).key(key)).versionId();
        uploads.replicaS3().deleteObject(r -> r.bucket(uploads.replicaBucket()).key(key).versionId(version));
        uploads.stack.dynamoDb().updateItem(r -> r.tableName(uploads.stack.physicalName("UploadsTable"))
                .key(Map.of("uploadId", AttributeValue.fromS(uploadId)))
                .updateExpression("SET #status = :stored, replicationPending = :pending REMOVE replicatedAt, replicaRegion, replicationLagMillis")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":stored", AttributeValue.fromS("stored"), ":pending", AttributeValue.fromS("pending"))));
        uploads.redrive(uploadId); // the next run's event, as the reconciler would send it
    }

    /** Bytes of a text file of any size, made on demand: a run of letters shifted per MiB, so parts differ. */
    private static byte[] bytes(long start, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            long at = start + i;
            bytes[i] = (byte) ('a' + (at + at / MIB) % 26);
        }
        return bytes;
    }

    private static void print(List<Run> runs) {
        System.out.println();
        System.out.println("ingest per object against the emulator, function JVM " + runs.get(0).heap() + ":");
        System.out.printf("  %-6s %-22s %9s %14s %16s %12s %14s%n", "object", "copy", "seconds", "object bytes", "S3 answer bytes",
                "S3 answers", "peak RSS MiB");
        for (Run run : runs) {
            System.out.printf("  %-6s %-22s %9.1f %14d %16d %12d %14.0f%n", run.object(), run.copy(), run.seconds(), run.objectBytes(),
                    run.responseBytes(), run.responses(), run.peakRssMib());
        }
        for (int i = 1; i + 1 < runs.size(); i += 2) {
            System.out.printf("  %s: parallel copy %.2fx the speed of one part at a time%n", runs.get(i).object(),
                    runs.get(i).seconds() / runs.get(i + 1).seconds());
        }
    }

    private static Map<String, String> runChild(String heap, Path interceptor, Path eventFile, Map<String, String> environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, heap, "-cp", interceptor + File.pathSeparator + System.getProperty("java.class.path"),
                IngestInChildJvm.class.getName(), eventFile.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Map<String, String> values = new HashMap<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String[] parts = line.split(" ", 2);
                if (parts.length == 2 && parts[0].matches("[A-Z0-9_]+")) {
                    values.put(parts[0], parts[1]);
                } else {
                    output.add(line);
                }
            }
        }
        if (process.waitFor() != 0 || !values.containsKey("INGEST_SECONDS")) {
            throw new IllegalStateException("the ingest JVM failed:\n" + String.join("\n", output));
        }
        return values;
    }
}
