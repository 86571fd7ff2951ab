package com.supportress.upload.ingest.benchmark;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes the function actually reads from S3's response bodies, at the stream the HTTP client hands
 * the SDK: object bytes (GetObject bodies) apart from everything else S3 answers (XML of listings, copy results).
 * Registered as an SDK global interceptor in the benchmark's function JVM only (see {@link #registrationOn}).
 */
public final class S3ResponseBytes implements ExecutionInterceptor {

    static final AtomicLong OBJECT_BYTES = new AtomicLong();
    static final AtomicLong ALL_BYTES = new AtomicLong();
    static final AtomicLong REQUESTS = new AtomicLong();

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!"S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            return context.responseBody(); // DynamoDB and SQS answers are not object reads
        }
        REQUESTS.incrementAndGet();
        boolean objectBytes = "GetObject".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        return context.responseBody().map(body -> new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int read = super.read();
                count(read < 0 ? 0 : 1);
                return read;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int read = super.read(buffer, offset, length);
                count(Math.max(read, 0));
                return read;
            }

            private void count(int bytes) {
                ALL_BYTES.addAndGet(bytes);
                if (objectBytes) {
                    OBJECT_BYTES.addAndGet(bytes);
                }
            }
        });
    }

    /** A classpath folder that registers this interceptor with every SDK client of a JVM that has it on its classpath. */
    static Path registrationOn(Path folder) throws IOException {
        Path file = folder.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
        Files.createDirectories(file.getParent());
        Files.writeString(file, S3ResponseBytes.class.getName() + "\n");
        return folder;
    }
}
