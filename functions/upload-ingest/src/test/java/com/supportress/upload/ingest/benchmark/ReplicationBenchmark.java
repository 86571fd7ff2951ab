package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SqsEvents;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replicates a 1 GiB object through the multipart-copy path (UploadPartCopy) with the ingest function's JVM
 * at -Xmx256m, against the emulator: the object goes up through presigned multipart URLs first, then a child
 * JVM ingests its S3 event (size and type checks, streamed SHA-256, copy, verification). Prints the
 * invocation's seconds and the child's peak RSS. Run: see the README's Uploads section.
 */
public final class ReplicationBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 1024 * MIB;
    // Lowered from the deployed 5 GiB so a 1 GiB object takes the multipart path: eight parts of 128 MiB.
    private static final long COPY_THRESHOLD = 256 * MIB;
    private static final long COPY_PART_SIZE = 128 * MIB;

    private ReplicationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String heap = args.length > 0 ? args[0] : "-Xmx256m";
        try (BenchmarkStack bench = new BenchmarkStack()) {
            drain(bench); // the bucket's s3:TestEvent
            String uploadId = uploadOneGib(bench);
            List<Message> events = drain(bench);
            Path eventFile = Files.createTempFile("ingest-event", ".json");
            Files.writeString(eventFile, SampleEvents.toJson(SqsEvents.of(events), SQSEvent.class));

            Map<String, String> environment = new HashMap<>(bench.stack.environment("UploadIngestFunction").variables());
            environment.put("COPY_MULTIPART_THRESHOLD_BYTES", Long.toString(COPY_THRESHOLD));
            environment.put("COPY_PART_SIZE_BYTES", Long.toString(COPY_PART_SIZE));
            environment.put("LOG_LEVEL", "WARN");
            Map<String, String> child = runChild(heap, eventFile, environment);

            Map<String, AttributeValue> item = bench.upload(uploadId);
            long replicaSize = bench.stack.s3(bench.stack.secondaryRegion())
                    .headObject(r -> r.bucket(bench.stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket"))
                            .key("tenants/" + BenchmarkStack.TENANT + "/" + uploadId)).contentLength();
            System.out.printf("replication of 1 GiB via UploadPartCopy (%d parts of %d MiB), function JVM %s (max heap %s MiB):%n",
                    SIZE / COPY_PART_SIZE, COPY_PART_SIZE / MIB, heap, child.get("MAX_HEAP_MIB"));
            System.out.printf("  status %s, replica %d bytes, batch failures %s%n", item.get("status").s(), replicaSize, child.get("FAILURES"));
            System.out.printf("  ingest invocation %.1f s (checks + streamed SHA-256 of 1 GiB + copy + verification)%n",
                    Double.parseDouble(child.get("INGEST_SECONDS")));
            System.out.printf("  peak RSS of the function JVM %.0f MiB%n", Double.parseDouble(child.get("PEAK_RSS_MIB")));
            if (!"replicated".equals(item.get("status").s()) || replicaSize != SIZE) {
                throw new IllegalStateException("the object was not replicated");
            }
        }
        System.exit(0);
    }

    private static String uploadOneGib(BenchmarkStack bench) throws Exception {
        JsonNode plan = bench.createUpload("one-gib.txt", "text/plain", SIZE);
        String uploadId = plan.get("uploadId").asText();
        int partCount = plan.get("partCount").asInt();
        long partSize = plan.get("partSize").asLong();
        ArrayNode completion = BenchmarkStack.JSON.createArrayNode();
        long started = System.nanoTime();
        for (int number = 1; number <= partCount; number++) {
            JsonNode signed = bench.call("POST", "/uploads/" + uploadId + "/parts", "{\"partNumbers\":[" + number + "]}", 200).get("parts").get(0);
            byte[] part = new byte[(int) Math.min(partSize, SIZE - (number - 1) * partSize)];
            for (int i = 0; i < part.length; i++) {
                part[i] = (byte) ('a' + (i + number) % 26);
            }
            completion.addObject().put("partNumber", number).put("etag", bench.put(signed, part));
        }
        bench.call("POST", "/uploads/" + uploadId + "/complete", BenchmarkStack.JSON.createObjectNode().set("parts", completion).toString(), 200);
        System.out.printf("uploaded 1 GiB in %d presigned parts in %.1f s (setup, not measured)%n", partCount, (System.nanoTime() - started) / 1e9);
        return uploadId;
    }

    private static List<Message> drain(BenchmarkStack bench) {
        List<Message> all = new ArrayList<>();
        List<Message> batch;
        while (!(batch = bench.receive(10, 1)).isEmpty()) {
            all.addAll(batch);
            batch.forEach(bench::delete);
        }
        return all;
    }

    private static Map<String, String> runChild(String heap, Path eventFile, Map<String, String> environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
                IngestInChildJvm.class.getName(), eventFile.toString()).redirectErrorStream(true);
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
        if (process.waitFor() != 0 || !values.containsKey("INGEST_SECONDS")) {
            throw new IllegalStateException("the ingest JVM failed:\n" + String.join("\n", output));
        }
        return values;
    }
}
