package com.supportress.upload.ingest.benchmark;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.supportress.emulator.SampleEvents;
import com.supportress.upload.ingest.UploadIngestHandler;

import java.nio.file.Path;

/**
 * The function's JVM in the replication benchmark, started with the heap Lambda would allow: builds the
 * handler as Lambda does (no-argument constructor, configuration from the environment), ingests one SQS
 * event, prints the seconds the invocation took, the failures and the process's peak RSS.
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
        System.out.println("PEAK_RSS_MIB " + BenchmarkStack.peakRssMib());
        System.out.println("MAX_HEAP_MIB " + Runtime.getRuntime().maxMemory() / 1_048_576);
    }
}
