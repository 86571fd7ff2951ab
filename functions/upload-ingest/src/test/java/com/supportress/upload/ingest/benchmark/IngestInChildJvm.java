package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.emulator.SampleEvents;
import com.supportress.upload.ingest.UploadIngestHandler;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The function's JVM in the replication benchmark, started with the heap Lambda would allow: builds the handler
 * as Lambda does (no-argument constructor, configuration from the environment), ingests one SQS event, prints
 * the seconds the invocation took, its failures, the bytes it read from S3 (counted by {@link S3ResponseBytes})
 * and the process's peak RSS.
 */
public final class IngestInChildJvm {

    private IngestInChildJvm() {
    }

    public static void main(String[] args) throws Exception {
        SQSEvent event = (SQSEvent) SampleEvents.load(Path.of(args[0]), SQSEvent.class);
        try (UploadIngestHandler handler = new UploadIngestHandler()) {
            long start = System.nanoTime();
            SQSBatchResponse response = handler.handleRequest(event, null);
            System.out.println("INGEST_SECONDS " + (System.nanoTime() - start) / 1e9);
            System.out.println("FAILURES " + response.getBatchItemFailures().size());
        }
        System.out.println("OBJECT_BYTES " + S3ResponseBytes.OBJECT_BYTES.get());
        System.out.println("RESPONSE_BYTES " + S3ResponseBytes.ALL_BYTES.get());
        System.out.println("S3_RESPONSES " + S3ResponseBytes.REQUESTS.get());
        System.out.println("PEAK_RSS_MIB " + peakRssMib());
        System.out.println("MAX_HEAP_MIB " + Runtime.getRuntime().maxMemory() / 1_048_576);
    }

    /** VmHWM: the most resident memory this process has had, in MiB. */
    static double peakRssMib() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }
}
